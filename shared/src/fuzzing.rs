//! What the fuzz targets (`fuzz/`) feed arbitrary bytes to, and what the
//! corpus replay test (`shared/tests/fuzz_corpus.rs`) runs on every saved
//! input: each function takes any bytes and must return, without panicking
//! and within the reader's limits, whatever they are.

use chrono::NaiveDate;

/// The xlsx gate and calamine's streaming reader, as an import runs them.
pub fn xlsx(data: &[u8]) {
    let mut rows = 0usize;
    let _ = crate::imports::xlsx::stream_first_sheet(data, 256, |chunk| {
        rows += chunk.len();
        true
    });
}

/// The photo-zip reader and the photo check of every entry it hands out.
pub fn photo_zip(data: &[u8]) {
    use crate::candidates::photo_import::{Entry, read_entries};
    let _ = read_entries(data.to_vec(), |entry| {
        if let Entry::Photo { bytes, .. } = entry {
            let _ = crate::candidates::photo::check(&bytes);
        }
        Ok(())
    });
    // Single photos and seal images arrive without a zip too.
    let _ = crate::candidates::photo::check(data);
    let _ = crate::images::check_png(data);
}

/// Every parser of an identity document or phone number.
pub fn id_numbers(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).expect("a date");
    for id_type in crate::domain::IdType::ALL {
        if let Ok(doc) = crate::domain::identity::IdDocument::parse(id_type, text, today) {
            let _ = (doc.masked(), doc.region_code());
        }
    }
    let _ = crate::domain::IdType::from_label(text);
    if let Ok(phone) = crate::domain::phone::Phone::parse(text) {
        let _ = phone.masked();
    }
    let _ = crate::mask::id_number(text);
    let _ = crate::mask::phone(text);
}

/// Every request body the API takes, parsed as the shared `Json`
/// extractor parses it (field errors translated into Chinese).
pub fn json_bodies(data: &[u8]) {
    use crate::http::extract::parse_json;
    macro_rules! bodies {
        ($($t:ty),* $(,)?) => {
            $( let _ = parse_json::<$t>(data).map_err(|e| e.message); )*
        };
    }
    bodies!(
        crate::http::batch::BatchIds,
        crate::review_log::ReturnInput,
        crate::exam::subjects::SubjectInput,
        crate::catalogue::standard::StandardInput,
        crate::sites::service::SiteInput,
        crate::rooms::service::RoomInput,
        crate::rooms::service::RoomExportRequest,
        crate::rooms::service::ReuseInput,
        crate::weekly::service::ReportInput,
        crate::weekly::service::CycleInput,
        crate::exam::plans::PlanInput,
        crate::declarations::plan::DeclarationPlanInput,
        crate::declarations::service::DeclarationInput,
        crate::declarations::service::DeclarationFilter,
        crate::declarations::review::ApproveInput,
        crate::catalogue::service::CertificateInput,
        crate::catalogue::school::SchoolInput,
        crate::catalogue::org::OrgInput,
        crate::candidates::service::CandidateInput,
        crate::candidates::export::ExportRequest,
        crate::candidates::photo::PhotoUploadRequest,
        crate::registrations::service::RegistrationExportRequest,
        crate::payments::service::OrderExportRequest,
        crate::payments::service::GenerateInput,
        crate::accounts::manage::NewUser,
        crate::accounts::manage::EditUser,
        crate::accounts::manage::CodeRequest,
        crate::accounts::login::LoginRequest,
        crate::accounts::login::ChangePassword,
        crate::imports::service::NewImport,
        crate::sites::allocation::AllocationInput,
    );
}
