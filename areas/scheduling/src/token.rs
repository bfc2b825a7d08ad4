//! The 准考证's QR code: a signed, expiring token naming a registration —
//! `VSLC1.<payload>.<signature>`, the payload `<学校代码>~<报考 id>~<expiry,
//! Unix seconds>` in base64url, the signature the first 12 bytes of its
//! HMAC-SHA256 (checked online, at the door: 96 bits is beyond guessing).
//! Short, so the code is a small QR version that scans at a glance. It holds no personal data: ids only. The key
//! is the platform's own, kept in the table (made on first use), so every
//! backend and every function shares it without a configured secret.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, KeyInit, Mac};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use vslc_ports::table::{Key, TableError, TableExt, to_item};
use vslc_ports::{AppState, DomainError};

/// The token's prefix (and version).
pub const PREFIX: &str = "VSLC1.";
/// Bytes of the signature kept.
const SIG_LEN: usize = 12;

/// What a token names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketToken {
    pub school_id: String,
    pub registration_id: String,
    /// Unix seconds.
    pub expires_at: i64,
}

/// Why a code is not a valid token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Not a token of ours at all (perhaps a typed 准考证号).
    Malformed,
    /// Ours in shape, but not signed with our key (altered or forged).
    BadSignature,
    Expired,
}

impl TokenError {
    pub fn message(self) -> &'static str {
        match self {
            TokenError::Malformed => "无法识别的二维码，请扫描准考证上的签到二维码或输入准考证号",
            TokenError::BadSignature => {
                "二维码校验失败，准考证可能被篡改，请核对考生证件并输入准考证号"
            }
            TokenError::Expired => "二维码已过期（考试计划已结束）",
        }
    }
}

#[derive(Serialize, Deserialize)]
struct SigningKey {
    secret: String,
}

fn key_key() -> Key {
    Key::new("SIGNKEY", "ticket-qr")
}

/// The signing key: read, or made and kept on first use (two first uses
/// at once keep one).
pub async fn signing_key(state: &AppState) -> Result<Vec<u8>, DomainError> {
    let decode = |k: SigningKey| B64.decode(k.secret).map_err(DomainError::internal);
    if let Some(k) = state.table.get_as::<SigningKey>(&key_key()).await? {
        return decode(k);
    }
    let mut raw = [0u8; 32];
    rand::rng().fill_bytes(&mut raw);
    let made = SigningKey {
        secret: B64.encode(raw),
    };
    match state
        .table
        .put(
            to_item(&key_key(), &made)?,
            Some(vslc_ports::table::Condition::NotExists),
        )
        .await
    {
        Ok(()) => Ok(raw.to_vec()),
        Err(TableError::ConditionFailed) => {
            let k = state
                .table
                .get_as::<SigningKey>(&key_key())
                .await?
                .ok_or_else(|| DomainError::internal(anyhow::anyhow!("signing key vanished")))?;
            decode(k)
        }
        Err(e) => Err(e.into()),
    }
}

fn mac(key: &[u8], payload: &str) -> Vec<u8> {
    let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes any key");
    m.update(payload.as_bytes());
    m.finalize().into_bytes()[..SIG_LEN].to_vec()
}

/// The token text for a registration.
pub fn sign(key: &[u8], t: &TicketToken) -> String {
    let payload = format!("{}~{}~{}", t.school_id, t.registration_id, t.expires_at);
    let body = B64.encode(payload.as_bytes());
    format!("{PREFIX}{body}.{}", B64.encode(mac(key, &body)))
}

/// Reads and checks a token at `now` (Unix seconds).
pub fn verify(key: &[u8], text: &str, now: i64) -> Result<TicketToken, TokenError> {
    let rest = text
        .trim()
        .strip_prefix(PREFIX)
        .ok_or(TokenError::Malformed)?;
    let (body, sig) = rest.split_once('.').ok_or(TokenError::Malformed)?;
    let sig = B64.decode(sig).map_err(|_| TokenError::Malformed)?;
    // In constant time, before the payload is read.
    let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes any key");
    m.update(body.as_bytes());
    if sig.len() != SIG_LEN || m.verify_truncated_left(&sig).is_err() {
        return Err(TokenError::BadSignature);
    }
    let payload = B64.decode(body).map_err(|_| TokenError::Malformed)?;
    let payload = String::from_utf8(payload).map_err(|_| TokenError::Malformed)?;
    let parts: Vec<&str> = payload.split('~').collect();
    let [school_id, registration_id, expires] = parts[..] else {
        return Err(TokenError::Malformed);
    };
    let expires_at: i64 = expires.parse().map_err(|_| TokenError::Malformed)?;
    if now > expires_at {
        return Err(TokenError::Expired);
    }
    Ok(TicketToken {
        school_id: school_id.to_owned(),
        registration_id: registration_id.to_owned(),
        expires_at,
    })
}

/// When a plan's tickets stop signing anyone in: a day after its last
/// exam ends (China time).
pub fn expiry_of(plan: &vslc_exam::Plan) -> i64 {
    let (_, last_end) = plan.exam_span();
    let end = last_end + chrono::Duration::days(1);
    end.and_local_timezone(chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8"))
        .single()
        .map(|t| t.timestamp())
        .unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> TicketToken {
        TicketToken {
            school_id: "10009".into(),
            registration_id: "01M8SYTZFQ1P1EPRJN01CNNJYP".into(),
            expires_at: 2_000,
        }
    }

    #[test]
    fn a_token_reads_back_until_it_expires() {
        let key = b"k".repeat(32);
        let text = sign(&key, &token());
        assert!(text.starts_with(PREFIX));
        assert_eq!(verify(&key, &text, 1_000), Ok(token()));
        assert_eq!(verify(&key, &text, 2_001), Err(TokenError::Expired));
        assert!(!text.contains("10009"), "no id in the clear either");
        assert!(
            text.len() <= 84,
            "a version-5 QR code (M) holds it: {}",
            text.len()
        );
    }

    #[test]
    fn altered_forged_and_foreign_codes_are_refused() {
        let key = b"k".repeat(32);
        let text = sign(&key, &token());
        // Another key (a forger's).
        assert_eq!(
            verify(&b"x".repeat(32), &text, 0),
            Err(TokenError::BadSignature)
        );
        // A payload naming another registration, the signature kept.
        let (body, sig) = text[PREFIX.len()..].split_once('.').unwrap();
        let mut other = token();
        other.registration_id = "01M8SYTZFQ1P1EPRJN01CNNJYQ".into();
        let forged_body = sign(&b"x".repeat(32), &other)[PREFIX.len()..]
            .split_once('.')
            .unwrap()
            .0
            .to_owned();
        assert_ne!(forged_body, body);
        let forged = format!("{PREFIX}{forged_body}.{sig}");
        assert_eq!(verify(&key, &forged, 0), Err(TokenError::BadSignature));
        for junk in [
            "",
            "20260331000001000100000001",
            "VSLC1.",
            "VSLC1.abc",
            "VSLC1.a.b",
            "https://example.com",
        ] {
            assert_ne!(verify(&key, junk, 0).ok(), Some(token()), "{junk}");
            assert!(verify(&key, junk, 0).is_err(), "{junk}");
        }
    }
}
