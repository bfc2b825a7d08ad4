//! 短信验证码: 6 digits sent through the `Sms` port, valid 5 minutes, at most
//! 5 attempts, one send per minute per phone. Stored hashed, under the tenant.

use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use vslc_ports::AppState;
use vslc_ports::DomainError;
use vslc_ports::domain::Phone;
use vslc_ports::table::{Condition, EXPIRES_AT, Key, TableExt, Update, to_item};
use vslc_ports::tenant::Tenant;

pub const CODE_TTL_SECS: i64 = 5 * 60;
pub const MAX_ATTEMPTS: u32 = 5;
pub const RESEND_AFTER_SECS: i64 = 60;

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredCode {
    code_hash: String,
    sent_at: i64,
    expires_at: i64,
    attempts: u32,
}

fn key(tenant: &Tenant, phone: &Phone) -> Key {
    Key::new(tenant.pk(), format!("SMSCODE#{phone}"))
}

fn digest(phone: &Phone, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{phone}:{code}").as_bytes()))
}

/// Sends a fresh code to `phone` for an action of `tenant_name`.
pub async fn send(
    state: &AppState,
    tenant: &Tenant,
    tenant_name: &str,
    phone: &Phone,
) -> Result<(), DomainError> {
    let now = state.clock.now().timestamp();
    if let Some(old) = state
        .table
        .get_as::<StoredCode>(&key(tenant, phone))
        .await?
    {
        let wait = old.sent_at + RESEND_AFTER_SECS - now;
        if wait > 0 {
            return Err(DomainError::conflict(
                "CODE_TOO_SOON",
                format!("验证码已发送，请{wait}秒后再试"),
            ));
        }
    }
    let code = format!("{:06}", rand::rng().random_range(0..1_000_000));
    let stored = StoredCode {
        code_hash: digest(phone, &code),
        sent_at: now,
        expires_at: now + CODE_TTL_SECS,
        attempts: 0,
    };
    let mut item = to_item(&key(tenant, phone), &stored)?;
    item.insert(EXPIRES_AT.into(), (now + CODE_TTL_SECS).into());
    state.table.put(item, None).await?;
    let text = format!(
        "【职业技能等级证书信息管理服务平台】您的验证码为{code}，5分钟内有效。您正在为“{tenant_name}”新增或修改账号，如非本人操作请忽略。"
    );
    state
        .sms
        .send(phone.as_str(), &text)
        .await
        .map_err(DomainError::internal)?;
    Ok(())
}

/// Checks and consumes a code. Each wrong try counts; the 5th ends the code.
pub async fn verify(
    state: &AppState,
    tenant: &Tenant,
    phone: &Phone,
    code: &str,
) -> Result<(), DomainError> {
    let k = key(tenant, phone);
    let invalid = |m: &'static str| DomainError::invalid("BAD_CODE", m);
    let stored: StoredCode = state
        .table
        .get_as(&k)
        .await?
        .ok_or_else(|| invalid("请先获取短信验证码"))?;
    if stored.expires_at <= state.clock.now().timestamp() {
        return Err(invalid("验证码已过期，请重新获取"));
    }
    if stored.attempts >= MAX_ATTEMPTS {
        return Err(invalid("验证码错误次数过多，请重新获取"));
    }
    if digest(phone, code.trim()) != stored.code_hash {
        // Conditional on the hash, so a newer code is not charged for this try.
        let _ = state
            .table
            .update(
                &k,
                Update::new().add("attempts", 1),
                Some(Condition::attr_equals("codeHash", stored.code_hash.clone())),
            )
            .await;
        let left = MAX_ATTEMPTS.saturating_sub(stored.attempts + 1);
        return Err(DomainError::invalid(
            "BAD_CODE",
            if left == 0 {
                "验证码错误次数过多，请重新获取".to_owned()
            } else {
                format!("验证码错误，还可尝试{left}次")
            },
        ));
    }
    // Used once: a second request with the same code fails.
    state
        .table
        .delete(
            &k,
            Some(Condition::attr_equals("codeHash", stored.code_hash)),
        )
        .await
        .map_err(|_| invalid("验证码已使用，请重新获取"))?;
    Ok(())
}
