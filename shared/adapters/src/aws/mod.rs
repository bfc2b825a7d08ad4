//! AWS adapters: DynamoDB, S3 and SQS through the official SDK.

pub mod dynamodb;
pub mod provision;
pub mod s3;
pub mod sqs;

pub use dynamodb::DynamoTable;
pub use s3::S3Blobs;
pub use sqs::SqsQueue;

/// SDK configuration from the environment; `endpoint` points every client at
/// a protocol-compatible server (moto in tests) instead of AWS.
pub async fn sdk_config(endpoint: Option<&str>) -> aws_config::SdkConfig {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
    if let Some(url) = endpoint {
        loader = loader.endpoint_url(url);
    }
    loader.load().await
}

/// The three clients; S3 uses path-style addressing when an endpoint is set
/// (moto and other emulators need it).
pub fn clients(
    conf: &aws_config::SdkConfig,
    path_style: bool,
) -> (
    aws_sdk_dynamodb::Client,
    aws_sdk_s3::Client,
    aws_sdk_sqs::Client,
) {
    let s3 = aws_sdk_s3::config::Builder::from(conf)
        .force_path_style(path_style)
        .build();
    (
        aws_sdk_dynamodb::Client::new(conf),
        aws_sdk_s3::Client::from_conf(s3),
        aws_sdk_sqs::Client::new(conf),
    )
}
