//! What the fuzz targets (`fuzz/`) feed arbitrary bytes to, and what the
//! corpus replay test (`shared/tests/fuzz_corpus.rs`) runs on every saved
//! input: each function takes any bytes and must return, without panicking
//! and within the reader's limits, whatever they are.

use chrono::NaiveDate;

/// The xlsx gate and calamine's streaming reader, as an import runs them.
pub fn xlsx(data: &[u8]) {
    let mut rows = 0usize;
    let _ = vslc_files::xlsx::stream_first_sheet(data, 256, |chunk| {
        rows += chunk.len();
        true
    });
}

/// The photo-zip reader and the photo check of every entry it hands out.
pub fn photo_zip(data: &[u8]) {
    use vslc_candidates::photo_import::{Entry, read_entries};
    let _ = read_entries(data.to_vec(), |entry| {
        if let Entry::Photo { bytes, .. } = entry {
            let _ = vslc_candidates::photo::check(&bytes);
        }
        Ok(())
    });
    // Single photos and seal images arrive without a zip too.
    let _ = vslc_candidates::photo::check(data);
    let _ = vslc_catalogue::images::check_png(data);
}

/// Every parser of an identity document or phone number.
pub fn id_numbers(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).expect("a date");
    for id_type in vslc_ports::domain::IdType::ALL {
        if let Ok(doc) = vslc_ports::domain::identity::IdDocument::parse(id_type, text, today) {
            let _ = (doc.masked(), doc.region_code());
        }
    }
    let _ = vslc_ports::domain::IdType::from_label(text);
    if let Ok(phone) = vslc_ports::domain::phone::Phone::parse(text) {
        let _ = phone.masked();
    }
    let _ = vslc_ports::mask::id_number(text);
    let _ = vslc_ports::mask::phone(text);
}

/// Every request body the API takes, parsed as the shared `Json`
/// extractor parses it (field errors translated into Chinese).
pub fn json_bodies(data: &[u8]) {
    use vslc_http::extract::parse_json;
    macro_rules! bodies {
        ($($t:ty),* $(,)?) => {
            $( let _ = parse_json::<$t>(data).map_err(|e| e.message); )*
        };
    }
    bodies!(
        vslc_http::batch::BatchIds,
        vslc_review::log::ReturnInput,
        vslc_exam::subjects::SubjectInput,
        vslc_catalogue::standard::StandardInput,
        vslc_sites::service::SiteInput,
        vslc_rooms::service::RoomInput,
        vslc_rooms::service::RoomExportRequest,
        vslc_rooms::service::ReuseInput,
        vslc_weekly::service::ReportInput,
        vslc_weekly::service::CycleInput,
        vslc_exam::plans::PlanInput,
        vslc_declarations::plan::DeclarationPlanInput,
        vslc_declarations::service::DeclarationInput,
        vslc_declarations::service::DeclarationFilter,
        vslc_declarations::review::ApproveInput,
        vslc_catalogue::service::CertificateInput,
        vslc_catalogue::school::SchoolInput,
        vslc_catalogue::org::OrgInput,
        vslc_candidates::service::CandidateInput,
        vslc_candidates::export::ExportRequest,
        vslc_candidates::photo::PhotoUploadRequest,
        vslc_registrations::service::RegistrationExportRequest,
        vslc_payments::service::OrderExportRequest,
        vslc_payments::service::GenerateInput,
        vslc_accounts::manage::NewUser,
        vslc_accounts::manage::EditUser,
        vslc_accounts::manage::CodeRequest,
        vslc_accounts::login::LoginRequest,
        vslc_accounts::login::ChangePassword,
        vslc_imports::service::NewImport,
        vslc_sites::allocation::AllocationInput,
    );
}
