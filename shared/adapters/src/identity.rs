//! `IdentityCheck` adapters.
//!
//! `RuleIdentityCheck` (embedded, and the fallback when no service is
//! configured) is deterministic and documented:
//! 1. the document number must parse for its type (check character, birth
//!    date, prefixes) — otherwise 需人工确认 with the parser's reason;
//! 2. the photo must pass the photo rules (JPG/PNG, 295×413, red background)
//!    — otherwise 需人工确认 with that reason;
//! 3. demo rule: a 身份证 or 居住证 whose sequence code (digits 15–17) is
//!    `999` stands for a failed 公安 photo comparison — 需人工确认,
//!    "公安照片比对不一致", so the manual path can be tried locally;
//! 4. everything else is 信息准确.
//!
//! `HttpIdentityCheck` posts the request as JSON (photo base64) to the
//! configured HTTPS endpoint (`VSLC_IDENTITY_URL`, bearer `VSLC_IDENTITY_TOKEN`)
//! and expects `{"result": "accurate"}` or
//! `{"result": "needsManualReview", "reason": "…"}`.

use async_trait::async_trait;
use base64::Engine;

use vslc_ports::clock::Clock;
use vslc_ports::domain::{IdDocument, IdType};
use vslc_ports::identity::{IdentityCheck, IdentityError, IdentityRequest, IdentityVerdict};

pub struct RuleIdentityCheck {
    clock: std::sync::Arc<dyn Clock>,
}

impl RuleIdentityCheck {
    pub fn new(clock: std::sync::Arc<dyn Clock>) -> Self {
        Self { clock }
    }
}

fn review(reason: impl Into<String>) -> IdentityVerdict {
    IdentityVerdict::NeedsManualReview {
        reason: reason.into(),
    }
}

#[async_trait]
impl IdentityCheck for RuleIdentityCheck {
    async fn check(&self, r: &IdentityRequest) -> Result<IdentityVerdict, IdentityError> {
        let Some(id_type) = IdType::from_label(&r.id_type) else {
            return Ok(review(format!("证件类型无效：{}", r.id_type)));
        };
        let doc = match IdDocument::parse(id_type, &r.id_number, self.clock.now_cst().date_naive())
        {
            Ok(d) => d,
            Err(reason) => return Ok(review(format!("证件号码无效：{reason}"))),
        };
        if let Err(reason) = vslc_ports::photo::check(&r.photo) {
            return Ok(review(format!("照片不符合要求：{reason}")));
        }
        if matches!(id_type, IdType::ResidentId | IdType::ResidencePermit)
            && &doc.number[14..17] == "999"
        {
            return Ok(review("公安照片比对不一致"));
        }
        Ok(IdentityVerdict::Accurate)
    }
}

pub struct HttpIdentityCheck {
    client: reqwest::Client,
    url: String,
    token: Option<String>,
}

impl HttpIdentityCheck {
    pub fn new(url: String, token: Option<String>) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(20))
            .build()?;
        Ok(Self { client, url, token })
    }
}

#[async_trait]
impl IdentityCheck for HttpIdentityCheck {
    async fn check(&self, r: &IdentityRequest) -> Result<IdentityVerdict, IdentityError> {
        let body = serde_json::json!({
            "name": r.name,
            "idType": r.id_type,
            "idNumber": r.id_number,
            "photo": base64::engine::general_purpose::STANDARD.encode(&r.photo),
        });
        let mut req = self.client.post(&self.url).json(&body);
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        let resp = req
            .send()
            .await
            .map_err(|e| IdentityError::Unavailable(e.into()))?;
        let resp = resp
            .error_for_status()
            .map_err(|e| IdentityError::Unavailable(e.into()))?;
        resp.json::<IdentityVerdict>()
            .await
            .map_err(|e| IdentityError::Unavailable(e.into()))
    }
}
