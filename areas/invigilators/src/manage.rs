//! 新增, 编辑, 删除监考人员 and 重新申请 (school side): each one
//! transaction, with the 教师编号 and person guards in it, conditional on
//! the versions read.

use std::collections::HashSet;

use super::model::{Certification, CertificationStatus, Invigilator};
use super::review::{REAPPLY, REMOVE};
use super::service::{
    Checked, InvigilatorInput, InvigilatorView, ReapplyInput, check_input, load,
    pilot_certificates, region_of,
};
use super::text;
use vslc_accounts::Tenant;
use vslc_catalogue::Certificate;
use vslc_catalogue::school::School;
use vslc_ports::domain::RecordId;
use vslc_ports::table::{Condition, TableError, TxOp, Update};
use vslc_ports::{AppState, Caller, DomainError};
use vslc_review::ReviewRecord;

/// The distinct certificate ids chosen, 1 to [`text::MAX_CERTIFICATES`].
fn chosen(ids: &[RecordId]) -> Result<Vec<String>, DomainError> {
    let mut seen = HashSet::new();
    let ids: Vec<String> = ids
        .iter()
        .map(|id| id.as_str().to_owned())
        .filter(|id| seen.insert(id.clone()))
        .collect();
    if ids.is_empty() {
        return Err(text::bad(text::NO_CERTIFICATE));
    }
    if ids.len() > text::MAX_CERTIFICATES {
        return Err(text::bad(text::TOO_MANY_CERTIFICATES));
    }
    Ok(ids)
}

/// The catalogue's certificates for `ids`, each one the school takes part in.
async fn pilot_choices(
    state: &AppState,
    school: &Tenant,
    ids: &[String],
) -> Result<Vec<Certificate>, DomainError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let pilots = pilot_certificates(state, school).await?;
    ids.iter()
        .map(|id| {
            pilots
                .iter()
                .find(|c| c.id == *id)
                .cloned()
                .ok_or_else(|| text::bad(text::not_pilot(id)))
        })
        .collect()
}

/// A new invigilator of a school from checked fields.
pub fn new_invigilator(
    state: &AppState,
    school: &Tenant,
    profile: &School,
    c: &Checked,
    import_id: Option<String>,
) -> Invigilator {
    let now = state.clock.now_text();
    Invigilator {
        id: Invigilator::new_id(school),
        school_id: school.id.clone(),
        school_name: profile.name.clone(),
        region: region_of(profile),
        teacher_no: c.teacher_no.clone(),
        name: c.name.clone(),
        phone: c.phone.clone(),
        id_type: c.id.id_type,
        id_number: c.id.number.clone(),
        import_id,
        login_account: None,
        login_user_id: None,
        created_at: now.clone(),
        updated_at: now,
        version: 1,
    }
}

/// A 待认证 application of `p` for `cert`, its 审核记录 starting with the
/// 申请 by `by` (a name) of `unit`.
pub fn new_certification(
    state: &AppState,
    p: &Invigilator,
    cert: &Certificate,
    by: &str,
    unit: &str,
) -> Certification {
    let now = state.clock.now_text();
    Certification {
        id: Certification::id_of(&p.id, &cert.id),
        invigilator_id: p.id.clone(),
        school_id: p.school_id.clone(),
        school_name: p.school_name.clone(),
        region: p.region.clone(),
        teacher_no: p.teacher_no.clone(),
        name: p.name.clone(),
        phone: p.phone.clone(),
        id_type: p.id_type,
        id_number: p.id_number.clone(),
        certificate_id: cert.id.clone(),
        certificate_code: cert.code.clone(),
        certificate_name: cert.name.clone(),
        org_id: cert.org_id.clone(),
        org_name: cert.org_name.clone(),
        status: CertificationStatus::Pending,
        review_reason: None,
        applied_at: now.clone(),
        decided_at: None,
        decided_by: None,
        history: vec![ReviewRecord {
            at: now.clone(),
            by: by.to_owned(),
            unit: unit.to_owned(),
            action: "申请".into(),
            status: CertificationStatus::Pending.label().into(),
            reason: None,
        }],
        import_id: p.import_id.clone(),
        created_at: now,
        version: 1,
    }
}

fn put_new(item: vslc_ports::table::Item) -> TxOp {
    TxOp::Put {
        item,
        condition: Some(Condition::NotExists),
    }
}

/// The writes that create an invigilator with its guards (positions 0:
/// 教师编号, 1: person) and its applications.
pub fn create_ops(p: &Invigilator, certs: &[Certification]) -> Result<Vec<TxOp>, TableError> {
    let [teacher, person] = p.guards()?;
    let mut ops = vec![put_new(teacher), put_new(person), put_new(p.to_item()?)];
    for c in certs {
        ops.push(put_new(c.to_item()?));
    }
    Ok(ops)
}

/// The error of a transaction whose guard at `teacher` or `person` (when
/// given) failed; anything else converts as usual.
fn guard_error(
    e: TableError,
    teacher_no: &str,
    teacher: usize,
    person: Option<usize>,
) -> DomainError {
    match &e {
        TableError::TransactionCanceled { failed } if failed.contains(&teacher) => {
            text::teacher_taken(teacher_no)
        }
        TableError::TransactionCanceled { failed }
            if person.is_some_and(|p| failed.contains(&p)) =>
        {
            text::person_taken()
        }
        _ => e.into(),
    }
}

/// 新增监考人员: its certificates start 待认证.
pub async fn create(
    state: &AppState,
    caller: &Caller,
    input: InvigilatorInput,
) -> Result<InvigilatorView, DomainError> {
    let school = caller.school_exam_writer()?;
    let checked = check_input(state, &input)?;
    let ids = chosen(&input.certificate_ids)?;
    let certs = pilot_choices(state, school, &ids).await?;
    let profile = vslc_catalogue::school::load(state, school).await?;
    let p = new_invigilator(state, school, &profile, &checked, None);
    let apps: Vec<Certification> = certs
        .iter()
        .map(|c| new_certification(state, &p, c, &caller.name, &caller.tenant_name))
        .collect();
    state
        .table
        .transact(create_ops(&p, &apps)?)
        .await
        .map_err(|e| guard_error(e, &p.teacher_no, 0, Some(1)))?;
    Ok(InvigilatorView::of(&p, &apps, true))
}

/// 编辑监考人员: the person's fields, and certificates added (待认证) or
/// removed (not when 已认证).
pub async fn edit(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: InvigilatorInput,
) -> Result<InvigilatorView, DomainError> {
    let school = caller.school_exam_writer()?;
    let (old, apps) = load(state, school, id).await?;
    let c = check_input(state, &input)?;
    let wanted = chosen(&input.certificate_ids)?;
    for app in apps.iter().filter(|a| !wanted.contains(&a.certificate_id)) {
        if !REMOVE.allows(app.status) {
            return Err(text::certified_kept(&app.certificate_name));
        }
    }
    let added: Vec<String> = wanted
        .iter()
        .filter(|w| !apps.iter().any(|a| a.certificate_id == **w))
        .cloned()
        .collect();
    let added = pilot_choices(state, school, &added).await?;
    // An org certified this person: who it is stays as certified.
    let certified = apps
        .iter()
        .any(|a| a.status == CertificationStatus::Certified);
    if certified
        && (c.name != old.name || c.id.id_type != old.id_type || c.id.number != old.id_number)
    {
        return Err(DomainError::conflict(
            "IDENTITY_FROZEN",
            "该监考人员已有认证通过的证书，姓名、证件类型和证件号码不能修改",
        ));
    }

    let mut new = old.clone();
    new.teacher_no = c.teacher_no.clone();
    new.name = c.name.clone();
    new.phone = c.phone.clone();
    new.id_type = c.id.id_type;
    new.id_number = c.id.number.clone();
    new.updated_at = state.clock.now_text();
    new.version = old.version + 1;

    let mut ops = vec![TxOp::Put {
        item: new.to_item()?,
        condition: Some(Condition::VersionIs(old.version)),
    }];
    let [teacher_guard, person_guard] = new.guards()?;
    let mut teacher_at = None;
    if old.teacher_no.to_uppercase() != new.teacher_no.to_uppercase() {
        ops.push(TxOp::Delete {
            key: Invigilator::teacher_key(school, &old.teacher_no),
            condition: None,
        });
        teacher_at = Some(ops.len());
        ops.push(put_new(teacher_guard));
    }
    let mut person_at = None;
    if (old.id_type, &old.id_number) != (new.id_type, &new.id_number) {
        ops.push(TxOp::Delete {
            key: Invigilator::person_key(school, old.id_type, &old.id_number),
            condition: None,
        });
        person_at = Some(ops.len());
        ops.push(put_new(person_guard));
    }
    let snapshot_changed = (
        &old.teacher_no,
        &old.name,
        &old.phone,
        old.id_type,
        &old.id_number,
    ) != (
        &new.teacher_no,
        &new.name,
        &new.phone,
        new.id_type,
        &new.id_number,
    );
    let mut kept = Vec::new();
    for app in apps {
        if !wanted.contains(&app.certificate_id) {
            ops.push(TxOp::Delete {
                key: app.item_key(),
                condition: Some(Condition::VersionIs(app.version)),
            });
            continue;
        }
        let mut app = app;
        if snapshot_changed {
            // What the org's list shows of the person; the status and its
            // version stay the org's.
            ops.push(TxOp::Update {
                key: app.item_key(),
                update: Update::new()
                    .set("teacherNo", new.teacher_no.clone())
                    .set("name", new.name.clone())
                    .set("phone", new.phone.clone())
                    .set_json("idType", &new.id_type)?
                    .set("idNumber", new.id_number.clone()),
                condition: Some(Condition::Exists),
            });
            app.teacher_no = new.teacher_no.clone();
            app.name = new.name.clone();
            app.phone = new.phone.clone();
            app.id_type = new.id_type;
            app.id_number = new.id_number.clone();
        }
        kept.push(app);
    }
    for cert in &added {
        let app = new_certification(state, &new, cert, &caller.name, &caller.tenant_name);
        ops.push(put_new(app.to_item()?));
        kept.push(app);
    }
    if ops.len() > vslc_ports::table::MAX_TRANSACT_ITEMS {
        return Err(text::bad(text::TOO_MANY_CERTIFICATES));
    }
    state.table.transact(ops).await.map_err(|e| {
        let teacher = teacher_at.unwrap_or(usize::MAX);
        guard_error(e, &new.teacher_no, teacher, person_at)
    })?;
    Ok(InvigilatorView::of(&new, &kept, true))
}

/// 删除监考人员: not while any of its certificates is 已认证.
pub async fn delete(state: &AppState, caller: &Caller, id: &str) -> Result<(), DomainError> {
    let school = caller.school_exam_writer()?;
    let (p, apps) = load(state, school, id).await?;
    if apps
        .iter()
        .any(|a| a.status == CertificationStatus::Certified)
    {
        return Err(DomainError::conflict("CERTIFIED", text::HAS_CERTIFIED));
    }
    let mut ops = vec![
        TxOp::Delete {
            key: Invigilator::key(school, &p.id),
            condition: Some(Condition::VersionIs(p.version)),
        },
        TxOp::Delete {
            key: Invigilator::teacher_key(school, &p.teacher_no),
            condition: None,
        },
        TxOp::Delete {
            key: Invigilator::person_key(school, p.id_type, &p.id_number),
            condition: None,
        },
    ];
    // Each application as read: one the org certifies meanwhile stops the
    // deletion.
    ops.extend(apps.iter().map(|a| TxOp::Delete {
        key: a.item_key(),
        condition: Some(Condition::VersionIs(a.version)),
    }));
    state.table.transact(ops).await?;
    Ok(())
}

/// 重新申请 a 未通过 certificate: 待认证 again, for the org to decide.
pub async fn reapply(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: ReapplyInput,
) -> Result<InvigilatorView, DomainError> {
    let school = caller.school_exam_writer()?;
    let (p, mut apps) = load(state, school, id).await?;
    let at = apps
        .iter()
        .position(|a| a.certificate_id == input.certificate_id.as_str())
        .ok_or_else(|| DomainError::not_found(text::CERTIFICATE))?;
    REAPPLY.check(&apps[at])?;
    pilot_choices(state, school, &[apps[at].certificate_id.clone()]).await?;
    let now = state.clock.now_text();
    let extra = Update::new().remove("decidedAt").remove("decidedBy");
    let after = REAPPLY
        .apply(&*state.table, caller, &apps[at], now, None, extra)
        .await?;
    apps[at] = after;
    Ok(InvigilatorView::of(&p, &apps, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificates_chosen_are_distinct_and_bounded() {
        let ids = |n: usize| -> Vec<RecordId> {
            (0..n)
                .map(|i| RecordId::parse(&format!("C{i}")).unwrap())
                .collect()
        };
        assert_eq!(chosen(&[]).unwrap_err().message(), text::NO_CERTIFICATE);
        let mut twice = ids(2);
        twice.extend(ids(2));
        assert_eq!(chosen(&twice).unwrap(), ["C0", "C1"]);
        assert!(chosen(&ids(text::MAX_CERTIFICATES)).is_ok());
        assert_eq!(
            chosen(&ids(text::MAX_CERTIFICATES + 1))
                .unwrap_err()
                .message(),
            text::TOO_MANY_CERTIFICATES
        );
    }

    #[test]
    fn failed_guards_name_what_is_taken() {
        let failed = |at: Vec<usize>| TableError::TransactionCanceled { failed: at };
        let e = guard_error(failed(vec![0]), "JE1", 0, Some(1));
        assert_eq!(e.code(), "TEACHER_NO_TAKEN");
        assert!(e.message().contains("JE1"));
        assert_eq!(
            guard_error(failed(vec![1]), "JE1", 0, Some(1)).code(),
            "INVIGILATOR_EXISTS"
        );
        assert_eq!(
            guard_error(failed(vec![2]), "JE1", 0, Some(1)).code(),
            "STATE_CONFLICT"
        );
        assert_eq!(
            guard_error(TableError::ConditionFailed, "JE1", 0, None).code(),
            "STATE_CONFLICT"
        );
    }
}
