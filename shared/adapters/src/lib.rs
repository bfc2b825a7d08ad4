//! vslc-adapters: the ports' adapters — `aws` (DynamoDB, S3, SQS) and
//! `embedded` (redb and a directory, with the dev server's signed blob
//! URLs), the rule-based and HTTP identity checks, and the outbox SMS that
//! works on any `Table`. The only crate that names `aws-sdk-*` or `redb`.

pub mod aws;
pub mod embedded;
pub mod identity;
pub mod sms_outbox;
