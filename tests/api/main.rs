//! Black-box API tests over HTTP against the dev server.

mod audit;
mod auth;
mod candidate_imports;
mod candidate_lists;
mod candidate_photos;
mod candidates;
mod catalogue;
mod declarations;
mod exam;
mod hostile_files;
mod hostile_input;
mod imports;
mod institutions;
mod invigilation;
mod invigilators;
mod lambda_bootstraps;
mod platform;
mod printing;
mod registration_lists;
mod registrations;
mod results;
mod scheduling;
mod scores;
mod users;
mod weekly_reports;
