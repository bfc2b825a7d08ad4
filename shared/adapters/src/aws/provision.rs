//! Creates what `infra/template.yaml` declares for the data path — the
//! table, the two buckets with their CORS rules, every queue with its DLQ,
//! and the upload bucket's object-created notification to the imports
//! queue — on moto or in a developer's own account. Only ever run when
//! asked (`vslc-local --create-resources`, the tests); a deployed stack
//! gets these from the template.

use std::collections::HashMap;

use anyhow::Context;
use aws_sdk_s3::types::{
    CorsConfiguration, CorsRule, Event, FilterRule, FilterRuleName, NotificationConfiguration,
    NotificationConfigurationFilter, QueueConfiguration, S3KeyFilter,
};
use aws_sdk_sqs::types::QueueAttributeName;

use vslc_ports::queue::{QueueName, QueuePolicy, QueueRef};

use super::{DynamoTable, S3Blobs, SqsQueue};

/// The names of one deployment's resources.
pub struct Resources<'a> {
    pub table: &'a str,
    pub upload_bucket: &'a str,
    pub document_bucket: &'a str,
    /// Queue names are `<prefix><name>` and `<prefix><name>-dlq`.
    pub queue_prefix: &'a str,
    /// Allowed origin of browser uploads and downloads (`*` locally).
    pub web_origin: &'a str,
    /// Key prefix of uploads that start an import.
    pub import_prefix: &'a str,
}

/// Creates the resources that are missing and returns every queue's URL.
/// Existing ones are kept (running it twice is harmless).
pub async fn provision(
    ddb: aws_sdk_dynamodb::Client,
    s3: aws_sdk_s3::Client,
    sqs: &aws_sdk_sqs::Client,
    names: &Resources<'_>,
    policies: &HashMap<QueueName, QueuePolicy>,
) -> anyhow::Result<HashMap<QueueRef, String>> {
    DynamoTable::new(ddb, names.table)
        .create_table_if_missing()
        .await
        .with_context(|| format!("creating table {}", names.table))?;
    let urls = SqsQueue::create_queues(sqs, names.queue_prefix, policies)
        .await
        .context("creating queues")?;
    for (bucket, methods) in [
        (names.upload_bucket, &["PUT", "GET"][..]),
        (names.document_bucket, &["GET"][..]),
    ] {
        S3Blobs::new(s3.clone(), bucket)
            .create_bucket_if_missing()
            .await
            .with_context(|| format!("creating bucket {bucket}"))?;
        let rule = CorsRule::builder()
            .set_allowed_methods(Some(methods.iter().map(|m| (*m).to_owned()).collect()))
            .allowed_origins(names.web_origin)
            .allowed_headers("content-type")
            .max_age_seconds(600)
            .build()?;
        s3.put_bucket_cors()
            .bucket(bucket)
            .cors_configuration(CorsConfiguration::builder().cors_rules(rule).build()?)
            .send()
            .await
            .with_context(|| format!("CORS of bucket {bucket}"))?;
    }
    let imports = &urls[&QueueRef::main(QueueName::Imports)];
    let arn = super::sqs::queue_arn(sqs, imports).await?;
    // S3 may send to the queue only for this bucket (the template's
    // ImportsQueuePolicy); AWS refuses the notification without it.
    let policy = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "s3.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": arn,
            "Condition": {"ArnLike": {"aws:SourceArn": format!("arn:aws:s3:::{}", names.upload_bucket)}}
        }]
    });
    sqs.set_queue_attributes()
        .queue_url(imports)
        .attributes(QueueAttributeName::Policy, policy.to_string())
        .send()
        .await
        .context("policy of the imports queue")?;
    let only_imports = NotificationConfigurationFilter::builder()
        .key(
            S3KeyFilter::builder()
                .filter_rules(
                    FilterRule::builder()
                        .name(FilterRuleName::Prefix)
                        .value(names.import_prefix)
                        .build(),
                )
                .build(),
        )
        .build();
    let to_queue = QueueConfiguration::builder()
        .queue_arn(arn)
        .events(Event::from("s3:ObjectCreated:*"))
        .filter(only_imports)
        .build()?;
    s3.put_bucket_notification_configuration()
        .bucket(names.upload_bucket)
        .notification_configuration(
            NotificationConfiguration::builder()
                .queue_configurations(to_queue)
                .build(),
        )
        .send()
        .await
        .context("object-created notification of the upload bucket")?;
    Ok(urls)
}
