//! Adapters for the ports: `aws` (DynamoDB, S3, SQS) and `embedded` (redb and
//! a directory), plus the outbox SMS that works on any `Table`.

pub mod aws;
pub mod embedded;
pub mod identity;
pub mod sms_outbox;
