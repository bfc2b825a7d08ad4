//! `invigilators` (批量导入监考人员): one row per certificate an invigilator
//! applies for, as the export writes them; rows with the same 教师编号 and
//! the same person add certificates to one invigilator.
//!
//! Safe under redelivery: the invigilator, its guards and its applications
//! record the import that wrote them, so a re-run of the same import
//! recognises its own rows. Another import of the same file finds the
//! teachers there already and lists them as failed rows (“已存在”), as the
//! candidates' import does: nothing is saved twice.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;

use super::manage::{create_ops, new_certification, new_invigilator};
use super::model::{Certification, CertificationStatus, Invigilator};
use super::service::{Checked, check, pilot_certificates};
use super::text;
use vslc_accounts::Tenant;
use vslc_catalogue::Certificate;
use vslc_catalogue::school::School;
use vslc_imports::{About, Column, ImportContext, ImportKind, Row, RowSink, Saved, Saving, saved};
use vslc_ports::domain::IdType;
use vslc_ports::table::{BatchOp, Condition, TableError, TableExt, TxOp};
use vslc_ports::{AppState, DomainError};

pub struct InvigilatorsImport;

const H_TEACHER: &str = "教师编号";
const H_NAME: &str = "姓名";
const H_PHONE: &str = "手机号";
const H_ID_TYPE: &str = "证件类型";
const H_ID: &str = "证件号码";
const H_CERT: &str = "申请证书";

/// The certificate a cell names: its name (the dropdown's), its code, its
/// id, or `<code> <name>`.
fn certificate_of<'a>(certs: &'a [Certificate], cell: &str) -> Result<&'a Certificate, String> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Err(text::NO_CERTIFICATE.into());
    }
    let code = cell.split_whitespace().next().unwrap_or(cell);
    certs
        .iter()
        .find(|c| c.name == cell || c.id == cell || c.code == code)
        .ok_or_else(|| text::not_pilot(cell))
}

/// One row's person fields and certificate; the error is the row's reason.
fn row_of<'a>(
    row: &Row,
    certs: &'a [Certificate],
    today: chrono::NaiveDate,
) -> Result<(Checked, &'a Certificate), String> {
    let id_type = match row.cell(3).trim() {
        "" => IdType::ResidentId,
        t => IdType::from_label(t).ok_or_else(|| format!("证件类型“{t}”无效"))?,
    };
    let checked = check(
        row.cell(0),
        row.cell(1),
        row.cell(2),
        id_type,
        row.cell(4),
        today,
    )?;
    Ok((checked, certificate_of(certs, row.cell(5))?))
}

#[async_trait]
impl ImportKind for InvigilatorsImport {
    fn about(&self) -> About {
        About::school("invigilators", "批量导入监考人员")
    }
    fn columns(&self, _params: &serde_json::Value) -> Vec<Column> {
        vec![
            Column::required(H_TEACHER, "同一学校内不可重复；字母、数字、短横线或下划线"),
            Column::required(H_NAME, "与证件一致"),
            Column::required(H_PHONE, "11位手机号"),
            Column {
                choices: Some(IdType::ALL.iter().map(|t| t.label().to_owned()).collect()),
                ..Column::required(H_ID_TYPE, "不填默认为身份证")
            },
            Column::required(H_ID, "身份证号末位X请大写"),
            Column::required(H_CERT, "从下拉列表选择本校已参与试点的证书；每行一个证书"),
        ]
    }
    fn sample(&self, _params: &serde_json::Value) -> Vec<&'static str> {
        vec![
            "JE19722",
            "李伟",
            "18512340926",
            "身份证",
            "11010519491231002X",
            "Web前端开发职业技能等级证书",
        ]
    }
    fn instructions(&self, _params: &serde_json::Value) -> Vec<String> {
        vec![
            "1. 带 * 的列为必填项；请勿修改表头，第2行示例数据导入时自动忽略。".into(),
            "2. 每行填写一名监考人员申请的一个证书；同一监考人员申请多个证书时，每个证书填写一行，教师编号、姓名、手机号和证件信息须一致。".into(),
            "3. 申请证书须为本校已参与试点的证书，从下拉列表选择；导入后证书为“待认证”状态，由培训评价组织认证。".into(),
            "4. 同一学校内教师编号不可重复，证件号码相同的监考人员只能有一个；已存在的监考人员会列入失败数据，如需增加证书请在列表中编辑。".into(),
            "5. 证件号码为身份证或港澳台居民居住证时，系统校验校验位和出生日期。".into(),
            "6. 导入完成后可在导入记录中下载失败数据（含失败原因），修改后重新导入。".into(),
        ]
    }

    async fn choices(
        &self,
        state: &AppState,
        tenant: &Tenant,
        _params: &serde_json::Value,
    ) -> anyhow::Result<HashMap<&'static str, Vec<String>>> {
        let names = pilot_certificates(state, tenant)
            .await
            .map_err(anyhow::Error::from)?
            .into_iter()
            .map(|c| c.name)
            .collect();
        Ok(HashMap::from([(H_CERT, names)]))
    }

    async fn open(&self, ctx: &ImportContext<'_>) -> anyhow::Result<Box<dyn RowSink>> {
        let state = ctx.state;
        let school = ctx.record.tenant.clone();
        let profile = match vslc_catalogue::school::load(state, &school).await {
            Ok(p) => Some(p),
            Err(DomainError::NotFound(_)) => None,
            Err(e) => return Err(e.into()),
        };
        let certs = pilot_certificates(state, &school)
            .await
            .map_err(anyhow::Error::from)?;
        let people: Vec<Invigilator> = state
            .table
            .query_all_as(Invigilator::all_of(&school))
            .await?;
        let persons = people
            .iter()
            .map(|p| {
                (
                    person_key(p.id_type, &p.id_number),
                    p.teacher_no.to_uppercase(),
                )
            })
            .collect();
        let teachers = people
            .into_iter()
            .map(|p| (p.teacher_no.to_uppercase(), p))
            .collect();
        Ok(Box::new(InvigilatorsSink {
            school,
            profile,
            certs,
            teachers,
            persons,
            file: HashMap::new(),
            file_persons: HashMap::new(),
            today: state.clock.now_cst().date_naive(),
            saved: Saved::default(),
        }))
    }
}

fn person_key(id_type: IdType, number: &str) -> String {
    format!("{}#{number}", id_type.label())
}

/// The first row of a teacher in the file, and what it saved.
struct Entry {
    row: usize,
    checked: Checked,
    /// The invigilator written (none in a dry run).
    invigilator: Option<Invigilator>,
    /// Certificate id → its row.
    certs: HashMap<String, usize>,
}

struct InvigilatorsSink {
    school: Tenant,
    profile: Option<School>,
    /// The school's 已参与试点证书.
    certs: Vec<Certificate>,
    /// The school's invigilators when the import started, by 教师编号 (upper case).
    teachers: HashMap<String, Invigilator>,
    /// Their people (证件类型#证件号码) → 教师编号.
    persons: HashMap<String, String>,
    /// Teachers of this file so far, by 教师编号 (upper case).
    file: HashMap<String, Entry>,
    /// People of this file so far → (教师编号, first row).
    file_persons: HashMap<String, (String, usize)>,
    today: chrono::NaiveDate,
    /// What this import saved, for `undo`.
    saved: Saved,
}

impl InvigilatorsSink {
    /// One row: Ok(Err(reason)) for a bad row, Err for a fault worth a retry.
    async fn row(
        &mut self,
        ctx: &ImportContext<'_>,
        row: &Row,
    ) -> anyhow::Result<Result<(), String>> {
        let (checked, cert) = match row_of(row, &self.certs, self.today) {
            Ok((c, cert)) => (c, cert.clone()),
            Err(reason) => return Ok(Err(reason)),
        };
        let teacher = checked.teacher_no.to_uppercase();
        let import_id = ctx.record.id.as_str();
        if let Some(entry) = self.file.get_mut(&teacher) {
            if entry.checked != checked {
                return Ok(Err(format!(
                    "与第{}行教师编号相同，但姓名、手机号或证件信息不一致",
                    entry.row
                )));
            }
            if let Some(first) = entry.certs.get(&cert.id) {
                return Ok(Err(format!("与第{first}行重复")));
            }
            entry.certs.insert(cert.id.clone(), row.number);
            let Some(p) = entry.invigilator.clone() else {
                return Ok(Ok(()));
            };
            return self.add_certificate(ctx, &p, &cert).await;
        }
        let person = person_key(checked.id.id_type, &checked.id.number);
        if let Some((_, first)) = self.file_persons.get(&person) {
            return Ok(Err(format!("与第{first}行证件号码重复")));
        }
        // A teacher this import wrote before a crash is its own.
        if let Some(p) = self.teachers.get(&teacher).cloned() {
            if p.import_id.as_deref() != Some(import_id) {
                return Ok(Err(text::teacher_taken_text(&checked.teacher_no)));
            }
            self.remember(row, checked, Some(p.clone()), &cert);
            return self.add_certificate(ctx, &p, &cert).await;
        }
        if self.persons.contains_key(&person) {
            return Ok(Err(text::PERSON_TAKEN.into()));
        }
        let Some(profile) = &self.profile else {
            return Ok(Err("院校信息不存在，请联系平台管理员".into()));
        };
        if ctx.dry_run {
            self.remember(row, checked, None, &cert);
            return Ok(Ok(()));
        }
        let state = ctx.state;
        let p = new_invigilator(
            state,
            &self.school,
            profile,
            &checked,
            Some(import_id.into()),
        );
        let unit = profile.name.clone();
        let app = new_certification(state, &p, &cert, &ctx.record.created_by_name, &unit);
        match state
            .table
            .transact(create_ops(&p, std::slice::from_ref(&app))?)
            .await
        {
            Ok(()) => {}
            Err(TableError::TransactionCanceled { failed }) if failed.contains(&0) => {
                return Ok(Err(text::teacher_taken_text(&checked.teacher_no)));
            }
            Err(TableError::TransactionCanceled { failed }) if failed.contains(&1) => {
                return Ok(Err(text::PERSON_TAKEN.into()));
            }
            Err(e) if e.is_conflict() => {
                return Ok(Err(text::teacher_taken_text(&checked.teacher_no)));
            }
            Err(e) => return Err(e.into()),
        }
        let [teacher_guard, person_guard] = [
            Invigilator::teacher_key(&self.school, &p.teacher_no),
            Invigilator::person_key(&self.school, p.id_type, &p.id_number),
        ];
        self.saved.row(
            [
                teacher_guard,
                person_guard,
                Invigilator::key(&self.school, &p.id),
                app.item_key(),
            ],
            None,
        );
        self.remember(row, checked, Some(p), &cert);
        Ok(Ok(()))
    }

    fn remember(
        &mut self,
        row: &Row,
        checked: Checked,
        p: Option<Invigilator>,
        cert: &Certificate,
    ) {
        let teacher = checked.teacher_no.to_uppercase();
        let person = person_key(checked.id.id_type, &checked.id.number);
        self.file_persons
            .insert(person, (teacher.clone(), row.number));
        self.file.insert(
            teacher,
            Entry {
                row: row.number,
                checked,
                invigilator: p,
                certs: HashMap::from([(cert.id.clone(), row.number)]),
            },
        );
    }

    /// Another certificate of an invigilator this import wrote; one that
    /// is there already from an earlier delivery of this import is its own.
    async fn add_certificate(
        &mut self,
        ctx: &ImportContext<'_>,
        p: &Invigilator,
        cert: &Certificate,
    ) -> anyhow::Result<Result<(), String>> {
        let state = ctx.state;
        let key = Certification::key(&self.school, &p.id, &cert.id);
        if let Some(found) = state.table.get_as::<Certification>(&key).await? {
            return Ok(
                if found.import_id.as_deref() == Some(ctx.record.id.as_str()) {
                    self.saved.row([key], None);
                    Ok(())
                } else {
                    Err("该监考人员已申请此证书".into())
                },
            );
        }
        if ctx.dry_run {
            return Ok(Ok(()));
        }
        let unit = p.school_name.clone();
        let app = new_certification(state, p, cert, &ctx.record.created_by_name, &unit);
        let ops = vec![
            TxOp::Put {
                item: app.to_item()?,
                condition: Some(Condition::NotExists),
            },
            TxOp::Check {
                key: Invigilator::key(&self.school, &p.id),
                condition: Condition::Exists,
            },
        ];
        match state.table.transact(ops).await {
            Ok(()) => {
                self.saved.row([key], None);
                Ok(Ok(()))
            }
            Err(e) if e.is_conflict() => Ok(Err("该监考人员已申请此证书或已被删除".into())),
            Err(e) => Err(e.into()),
        }
    }
}

#[async_trait]
impl RowSink for InvigilatorsSink {
    async fn apply(&mut self, ctx: &ImportContext<'_>, rows: &[Row]) -> anyhow::Result<Saving> {
        let mut outcomes = Vec::with_capacity(rows.len());
        for row in rows {
            outcomes.push(self.row(ctx, row).await?);
        }
        Ok(saved(outcomes))
    }

    async fn undo(&mut self, ctx: &ImportContext<'_>) -> anyhow::Result<usize> {
        // Everything this import wrote, this delivery or an earlier one:
        // the invigilators carrying its id, with their guards and
        // applications.
        let _ = self.saved.take();
        let table = ctx.state.table.as_ref();
        let mine = Some(ctx.record.id.as_str());
        let people: Vec<Invigilator> = table
            .query_all_as::<Invigilator>(Invigilator::all_of(&self.school))
            .await?
            .into_iter()
            .filter(|p| p.import_id.as_deref() == mine)
            .collect();
        let all: Vec<Certification> = table
            .query_all_as::<Certification>(Certification::all_of(&self.school))
            .await?;
        // Someone an org has certified since stays: a person with a 已认证
        // certificate is never deleted.
        let certified: HashSet<&str> = all
            .iter()
            .filter(|a| a.status == CertificationStatus::Certified)
            .map(|a| a.invigilator_id.as_str())
            .collect();
        let people: Vec<Invigilator> = people
            .into_iter()
            .filter(|p| !certified.contains(p.id.as_str()))
            .collect();
        let ids: HashSet<&str> = people.iter().map(|p| p.id.as_str()).collect();
        let apps: Vec<&Certification> = all
            .iter()
            .filter(|a| ids.contains(a.invigilator_id.as_str()))
            .collect();
        let mut keys = Vec::new();
        for p in &people {
            keys.push(Invigilator::teacher_key(&self.school, &p.teacher_no));
            keys.push(Invigilator::person_key(
                &self.school,
                p.id_type,
                &p.id_number,
            ));
            keys.push(Invigilator::key(&self.school, &p.id));
        }
        keys.extend(apps.iter().map(|a| a.item_key()));
        for chunk in keys.chunks(1_000) {
            table
                .batch_write(chunk.iter().cloned().map(BatchOp::Delete).collect())
                .await?;
        }
        Ok(apps.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vslc_catalogue::certificate::Level;

    fn cert(id: &str, code: &str, name: &str) -> Certificate {
        Certificate {
            id: id.into(),
            code: code.into(),
            name: name.into(),
            org_id: "ORG001".into(),
            org_name: "组织".into(),
            levels: vec![Level::Junior],
            category: String::new(),
            batch: String::new(),
            majors: Vec::new(),
            chain: None,
            version: 1,
        }
    }

    fn row(cells: &[&str]) -> Row {
        Row {
            number: 3,
            cells: cells.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn rows_name_a_pilot_certificate_by_name_code_or_id() {
        let certs = [cert("CERT0101", "0101", "Web前端开发职业技能等级证书")];
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let ok = |c: &str| {
            row_of(
                &row(&["JE1", "李伟", "18512340926", "", "11010519491231002X", c]),
                &certs,
                today,
            )
        };
        for c in [
            "Web前端开发职业技能等级证书",
            "0101",
            "CERT0101",
            "0101 Web前端开发",
        ] {
            assert_eq!(ok(c).unwrap().1.id, "CERT0101", "{c}");
        }
        assert_eq!(ok("").unwrap_err(), text::NO_CERTIFICATE);
        assert_eq!(ok("老年照护").unwrap_err(), text::not_pilot("老年照护"));
        assert_eq!(
            ok("0101").unwrap().0.id.id_type,
            IdType::ResidentId,
            "blank type"
        );
        let bad_type = row_of(
            &row(&["JE1", "李伟", "18512340926", "军官证", "1", "0101"]),
            &certs,
            today,
        );
        assert_eq!(bad_type.unwrap_err(), "证件类型“军官证”无效");
    }
}
