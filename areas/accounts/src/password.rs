//! Password hashing with argon2id (PHC strings).

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// What a login for an unknown account is verified against, so that it
/// costs what a known account costs: argon2id with the default parameters
/// (those of `hash`, checked by a test) of a random password nobody kept.
/// Login never accepts a match against it.
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$FNy9mwRys9RM0SUJjS9q1g$JSNic5c4DxuyopyvMjs8/wW7z+rrX7srqruYhjgPm+A";

/// A PHC string (`$argon2id$v=19$…`) with a fresh random salt.
pub fn hash(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
}

/// True when `password` matches the stored PHC string.
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::phc::PasswordHash;

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_costs() {
        let dummy = PasswordHash::new(super::DUMMY_HASH).unwrap();
        let real = super::hash("Vslc@2026").unwrap();
        let real = PasswordHash::new(&real).unwrap();
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(dummy.version, real.version);
        assert_eq!(dummy.params, real.params, "m, t and p as `hash` uses them");
        assert_eq!(dummy.hash.map(|h| h.len()), real.hash.map(|h| h.len()));
        assert!(!super::verify("", super::DUMMY_HASH));
        assert!(!super::verify("Vslc@2026", super::DUMMY_HASH));
    }

    #[test]
    fn hashes_verify_and_differ() {
        let a = super::hash("Vslc@2026").unwrap();
        let b = super::hash("Vslc@2026").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "salted");
        assert!(super::verify("Vslc@2026", &a));
        assert!(!super::verify("vslc@2026", &a));
        assert!(!super::verify("Vslc@2026", "not a hash"));
    }
}
