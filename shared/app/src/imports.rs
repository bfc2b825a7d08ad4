//! The import kinds of this version, assembled here at the composition root
//! from the areas that import; the pipeline (`vslc-imports`) knows none of
//! them.

use std::sync::Arc;

use vslc_exam::plans::RegistrationMode;
use vslc_imports::{Registry, demo_notes::DemoNotes};
use vslc_registrations::import::RegistrationsImport;

/// Every import kind, by name (and former names).
pub fn import_kinds() -> Registry {
    Registry::default()
        .with(Arc::new(DemoNotes))
        .with(Arc::new(vslc_candidates::import::CandidatesImport))
        .with(Arc::new(vslc_rooms::import::RoomsImport))
        .with(Arc::new(RegistrationsImport {
            mode: RegistrationMode::ByCertificate,
        }))
        .with(Arc::new(RegistrationsImport {
            mode: RegistrationMode::BySubject,
        }))
        .with(Arc::new(vslc_candidates::photo_import::PhotosImport))
        .with(Arc::new(vslc_candidates::update_import::CandidatesUpdate))
        .with(Arc::new(vslc_invigilators::import::InvigilatorsImport))
        .with(Arc::new(vslc_scores::import::ScoresImport))
}
