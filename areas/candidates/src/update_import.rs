//! `candidates-update` (批量修改考生信息): rows keyed by 考生编号 (as the
//! export shows it); a blank cell leaves the field as it is. The same rules
//! as the edit form apply, frozen fields after 信息准确 included. Running the
//! same file again sets the same values: nothing changes twice.

use std::collections::HashMap;

use async_trait::async_trait;

use super::model::Candidate;
use super::service::{CandidateInput, all, apply_edit, check, majors, restore};
use vslc_catalogue::certificate::MajorLevel;
use vslc_imports::{About, Column, ImportContext, ImportKind, Row, RowSink, Saving, saved};
use vslc_ports::domain::{Gender, IdType};

pub struct CandidatesUpdate;

/// The candidate's current values, overridden by the row's non-blank cells.
fn merged(c: &Candidate, row: &Row) -> Result<CandidateInput, String> {
    let opt = |i: usize| Some(row.cell(i).trim().to_owned()).filter(|s| !s.is_empty());
    let id_type = match opt(5) {
        None => c.id_type,
        Some(t) => IdType::from_label(&t).ok_or_else(|| format!("证件类型“{t}”无效"))?,
    };
    // A new 身份证 or 居住证 number implies its gender; otherwise keep the current one.
    let gender = match opt(3) {
        Some(g) => {
            Some(Gender::from_label(&g).ok_or_else(|| format!("性别“{g}”无效，应为男或女"))?)
        }
        None if opt(6).is_some()
            && matches!(id_type, IdType::ResidentId | IdType::ResidencePermit) =>
        {
            None
        }
        None => Some(c.gender),
    };
    let major_level = match opt(9) {
        None => c.major_level,
        Some(l) => Some(
            serde_json::from_value::<MajorLevel>(serde_json::Value::String(l.clone()))
                .map_err(|_| format!("专业层次“{l}”无效"))?,
        ),
    };
    let enrolment_year = match opt(10) {
        None => c.enrolment_year,
        Some(y) => Some(
            y.parse()
                .map_err(|_| format!("入学年份“{y}”应为四位年份"))?,
        ),
    };
    let id_number = opt(6).unwrap_or_else(|| c.id_number.clone());
    Ok(CandidateInput {
        kind: c.kind,
        name: opt(1).unwrap_or_else(|| c.name.clone()),
        name_pinyin: opt(2).unwrap_or_else(|| c.name_pinyin.clone()),
        gender,
        id_type,
        id_number,
        phone: opt(7).or_else(|| c.phone.clone()),
        major_code: opt(8).or_else(|| c.major.as_ref().map(|m| m.code.clone())),
        major_level,
        enrolment_year,
        work_unit: opt(11).or_else(|| c.work_unit.clone()),
    })
}

#[async_trait]
impl ImportKind for CandidatesUpdate {
    fn about(&self) -> About {
        About::school("candidates-update", "批量修改考生信息")
    }
    fn columns(&self, _params: &serde_json::Value) -> Vec<Column> {
        vec![
            Column::required("考生编号", "从批量导出考生信息中复制，不可修改"),
            Column::optional("姓名", "不填则不修改；信息准确后不能修改"),
            Column::optional("姓名拼音", "不填则不修改"),
            Column {
                choices: Some(vec!["男".into(), "女".into()]),
                ..Column::optional("性别", "不填则不修改")
            },
            Column::optional("学生类型", "仅供核对，不会修改"),
            Column {
                choices: Some(IdType::ALL.iter().map(|t| t.label().to_owned()).collect()),
                ..Column::optional("证件类型", "不填则不修改；信息准确后不能修改")
            },
            Column::optional("证件号码", "不填则不修改；信息准确后不能修改"),
            Column::optional("手机号", "不填则不修改"),
            Column::optional("就读专业", "专业代码或专业名称，不填则不修改"),
            Column {
                choices: Some(
                    ["中职", "高职专科", "职业本科", "普通本科"]
                        .iter()
                        .map(|s| s.to_string())
                        .collect(),
                ),
                ..Column::optional("专业层次", "不填则不修改")
            },
            Column::optional("入学年份", "不填则不修改"),
            Column::optional("工作单位", "社会考生，不填则不修改"),
        ]
    }
    fn sample(&self, _params: &serde_json::Value) -> Vec<&'static str> {
        vec![
            "51332120241795852800000001",
            "",
            "",
            "",
            "院校考生",
            "",
            "",
            "13900001111",
            "",
            "",
            "",
            "",
        ]
    }
    fn instructions(&self, _params: &serde_json::Value) -> Vec<String> {
        vec![
            "1. 先通过“批量导出考生信息”导出考生，按考生编号填写需要修改的列；留空的单元格不修改。"
                .into(),
            "2. 信息准确的考生不能修改姓名、证件类型和证件号码。".into(),
            "3. 已报考的考生，修改不影响已报考考试计划中的考生信息。".into(),
        ]
    }

    async fn open(&self, ctx: &ImportContext<'_>) -> anyhow::Result<Box<dyn RowSink>> {
        let state = ctx.state;
        let majors = majors(state).await.map_err(anyhow::Error::from)?;
        let by_no = all(state, &ctx.record.tenant)
            .await
            .map_err(anyhow::Error::from)?
            .into_iter()
            .map(|c| (c.candidate_no.clone(), c))
            .collect();
        Ok(Box::new(UpdateSink {
            majors,
            by_no,
            first: HashMap::new(),
            before: Vec::new(),
        }))
    }
}

struct UpdateSink {
    majors: super::service::Majors,
    by_no: HashMap<String, Candidate>,
    first: HashMap<String, usize>,
    /// Candidates this import edited, as they were before, for `undo`.
    before: Vec<Candidate>,
}

#[async_trait]
impl RowSink for UpdateSink {
    async fn apply(&mut self, ctx: &ImportContext<'_>, rows: &[Row]) -> anyhow::Result<Saving> {
        let state = ctx.state;
        let school = &ctx.record.tenant;
        let today = state.clock.now_cst().date_naive();
        let mut outcomes = Vec::with_capacity(rows.len());
        for row in rows {
            let no = row.cell(0).trim().to_owned();
            let mut transient = None;
            let outcome = async {
                if let Some(f) = self.first.get(&no) {
                    return Err(format!("与第{f}行考生编号重复"));
                }
                self.first.insert(no.clone(), row.number);
                let c = self
                    .by_no
                    .get(&no)
                    .ok_or_else(|| format!("本校没有考生编号为 {no} 的考生"))?;
                let input = merged(c, row)?;
                let major = match &input.major_code {
                    Some(text) => self.majors.resolve(text)?,
                    None => None,
                };
                let checked = check(&input, today, major)?;
                if ctx.dry_run {
                    return Ok(None);
                }
                apply_edit(state, school, c, checked)
                    .await
                    .map(Some)
                    .map_err(|e| {
                        let message = e.message();
                        if e.is_transient() {
                            transient = Some(e);
                        }
                        message
                    })
            }
            .await;
            // Storage trouble fails the delivery (it is retried); a verdict
            // on the row fails the row.
            if let Some(e) = transient {
                return Err(anyhow::Error::from(e).context(format!("editing candidate {no}")));
            }
            match outcome {
                Ok(Some(updated)) => {
                    if let Some(old) = self.by_no.insert(no, updated) {
                        self.before.push(old);
                    }
                    outcomes.push(Ok(()));
                }
                Ok(None) => outcomes.push(Ok(())),
                Err(e) => outcomes.push(Err(e)),
            }
        }
        // Edits are saved row by row above: each is a checked state transition.
        Ok(saved(outcomes))
    }

    /// Puts back each edited candidate as it was (a versioned write, so an
    /// edit someone made since is kept).
    async fn undo(&mut self, ctx: &ImportContext<'_>) -> anyhow::Result<usize> {
        let school = &ctx.record.tenant;
        let mut restored = 0;
        for old in std::mem::take(&mut self.before) {
            let Some(now) = self.by_no.get(&old.candidate_no) else {
                continue;
            };
            match restore(ctx.state, school, now, old).await {
                Ok(()) => restored += 1,
                Err(e) if e.is_conflict() => {
                    tracing::warn!(candidate = %now.candidate_no, "edited since; not restored");
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(restored)
    }
}
