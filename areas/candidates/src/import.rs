//! `candidates` (批量导入考生信息): one row per candidate, `params.kind` =
//! `school` (院校考生) or `social` (社会考生).
//!
//! Safe under redelivery and concurrency: each candidate's uniqueness guard
//! records the import that created it and is written with "only if absent";
//! the candidate itself too. A re-run of the same import recognises its own
//! guards (and writes any candidate a crash left unwritten); two imports of
//! overlapping files race on the guards and exactly one wins each person.

use std::collections::HashMap;

use async_trait::async_trait;
use serde::Deserialize;

use super::model::{Candidate, CandidateKind};
use super::service::{CandidateInput, Checked, check, find_all, new_candidates, numbered};
use vslc_accounts::Tenant;
use vslc_catalogue::certificate::MajorLevel;
use vslc_catalogue::{Certificate, Pilot};
use vslc_imports::{About, Column, ImportContext, ImportKind, Row, RowSink, Saved, Saving, saved};
use vslc_ports::AppState;
use vslc_ports::domain::{Gender, IdType};
use vslc_ports::keyset;
use vslc_ports::table::{BatchOp, Guarded, Item, Key, TableError};

pub struct CandidatesImport;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Guard {
    candidate_no: String,
    #[serde(default)]
    import_id: Option<String>,
}

/// A guard as read back with its sort key (`证件类型#证件号码`).
#[derive(Deserialize)]
struct GuardRow {
    sk: String,
    #[serde(flatten)]
    guard: Guard,
}

fn kind_of(params: &serde_json::Value) -> Option<CandidateKind> {
    match params.get("kind").and_then(|k| k.as_str()) {
        Some("school") => Some(CandidateKind::School),
        Some("social") => Some(CandidateKind::Social),
        _ => None,
    }
}

const H_NAME: &str = "姓名";
const H_PINYIN: &str = "姓名拼音";
const H_GENDER: &str = "性别";
const H_ID_TYPE: &str = "证件类型";
const H_ID: &str = "证件号码";
const H_PHONE: &str = "手机号";
const H_MAJOR: &str = "就读专业";
const H_LEVEL: &str = "专业层次";
const H_YEAR: &str = "入学年份";
const H_WORK: &str = "工作单位";

fn choice(values: &[&str]) -> Option<Vec<String>> {
    Some(values.iter().map(|v| v.to_string()).collect())
}

fn level_from(s: &str) -> Option<MajorLevel> {
    serde_json::from_value(serde_json::Value::String(s.trim().to_owned())).ok()
}

/// One sheet row as the form's input; the error is the row's reason.
fn input_of(kind: CandidateKind, row: &Row) -> Result<CandidateInput, String> {
    let cell = |i: usize| row.cell(i).trim().to_owned();
    let opt = |i: usize| Some(cell(i)).filter(|s| !s.is_empty());
    let id_type = match opt(3) {
        None => IdType::ResidentId,
        Some(t) => IdType::from_label(&t).ok_or_else(|| format!("证件类型“{t}”无效"))?,
    };
    let gender = match opt(2) {
        None => None,
        Some(g) => {
            Some(Gender::from_label(&g).ok_or_else(|| format!("性别“{g}”无效，应为男或女"))?)
        }
    };
    // 就读专业 holds "510201 计算机应用技术" (from the dropdown), the code or the name.
    let major_code = opt(6);
    let major_level = match opt(7) {
        None => None,
        Some(l) => Some(level_from(&l).ok_or_else(|| format!("专业层次“{l}”无效"))?),
    };
    let enrolment_year = match opt(8) {
        None => None,
        Some(y) => Some(
            y.parse::<i32>()
                .map_err(|_| format!("入学年份“{y}”应为四位年份"))?,
        ),
    };
    Ok(CandidateInput {
        kind,
        name: cell(0),
        name_pinyin: cell(1),
        gender,
        id_type,
        id_number: cell(4),
        phone: opt(5),
        major_code,
        major_level,
        enrolment_year,
        work_unit: if kind == CandidateKind::Social {
            opt(9)
        } else {
            None
        },
    })
}

#[async_trait]
impl ImportKind for CandidatesImport {
    fn about(&self) -> About {
        About::school("candidates", "批量导入考生信息")
    }
    fn check_params(&self, params: &serde_json::Value) -> Result<(), String> {
        kind_of(params)
            .map(|_| ())
            .ok_or_else(|| "请选择考生类型（院校考生或社会考生）".into())
    }
    fn columns(&self, params: &serde_json::Value) -> Vec<Column> {
        let school = kind_of(params) != Some(CandidateKind::Social);
        let mut cols = vec![
            Column::required(H_NAME, "与证件一致"),
            Column::required(H_PINYIN, "大写字母，如 WANG QIANG"),
            Column {
                choices: choice(&["男", "女"]),
                ..Column::optional(H_GENDER, "身份证、居住证可不填，按证件号码识别")
            },
            Column {
                choices: choice(&[
                    "身份证",
                    "港澳台居民居住证",
                    "港澳居民来往内地通行证",
                    "护照",
                ]),
                ..Column::required(H_ID_TYPE, "不填默认为身份证")
            },
            Column::required(H_ID, "身份证号末位X请大写"),
            if school {
                Column::required(H_PHONE, "11位手机号")
            } else {
                Column::optional(H_PHONE, "11位手机号")
            },
            if school {
                Column::required(H_MAJOR, "从下拉列表选择，或填写专业代码或专业名称")
            } else {
                Column::optional(H_MAJOR, "专业代码或专业名称")
            },
            Column {
                choices: choice(&["中职", "高职专科", "职业本科", "普通本科"]),
                ..Column::optional(H_LEVEL, "不填按专业目录")
            },
            if school {
                Column::required(H_YEAR, "四位年份，如 2024")
            } else {
                Column::optional(H_YEAR, "四位年份")
            },
        ];
        if !school {
            cols.push(Column::optional(H_WORK, "不超过100个字符"));
        }
        cols
    }
    fn sample(&self, params: &serde_json::Value) -> Vec<&'static str> {
        if kind_of(params) == Some(CandidateKind::Social) {
            vec![
                "李娜",
                "LI NA",
                "女",
                "身份证",
                "11010519491231002X",
                "13800138000",
                "",
                "",
                "",
                "北京某科技有限公司",
            ]
        } else {
            vec![
                "王强",
                "WANG QIANG",
                "男",
                "身份证",
                "513321200001010014",
                "18512340926",
                "510201 计算机应用技术",
                "高职专科",
                "2024",
            ]
        }
    }
    fn instructions(&self, _params: &serde_json::Value) -> Vec<String> {
        vec![
            "1. 带 * 的列为必填项；请勿修改表头，第2行示例数据导入时自动忽略。".into(),
            "2. 证件号码为身份证或港澳台居民居住证时，系统校验校验位和出生日期，并据此识别性别。".into(),
            "3. 就读专业须为证书专业目录中的专业，可从下拉列表选择（列出本校已参与试点证书的专业）。".into(),
            "4. 同一学校内证件类型和证件号码相同的考生只能有一个；已存在的考生会列入失败数据。".into(),
            "5. 导入完成后可在导入记录中下载失败数据（含失败原因），修改后重新导入。".into(),
            "6. 导入后考生为“无照片”状态，请再导入考生照片。".into(),
        ]
    }

    async fn choices(
        &self,
        state: &AppState,
        tenant: &Tenant,
        _params: &serde_json::Value,
    ) -> anyhow::Result<HashMap<&'static str, Vec<String>>> {
        let pilots = Pilot::of_school(state.table.as_ref(), tenant).await?;
        let certs = Certificate::all(state.table.as_ref()).await?;
        let mut majors: Vec<String> = certs
            .iter()
            .filter(|c| pilots.iter().any(|p| p.certificate_id == c.id))
            .flat_map(|c| c.majors.iter().map(|m| format!("{} {}", m.code, m.name)))
            .collect();
        majors.sort();
        majors.dedup();
        Ok(HashMap::from([(H_MAJOR, majors)]))
    }

    async fn open(&self, ctx: &ImportContext<'_>) -> anyhow::Result<Box<dyn RowSink>> {
        let state = ctx.state;
        let kind = kind_of(&ctx.record.params)
            .ok_or_else(|| anyhow::anyhow!("candidates import without kind"))?;
        let majors = super::service::majors(state)
            .await
            .map_err(anyhow::Error::from)?;
        let school = &ctx.record.tenant;
        let guards: HashMap<String, Guard> =
            keyset::all_of::<GuardRow>(state.table.as_ref(), Candidate::guard_partitions(school))
                .await?
                .into_iter()
                .map(|g| (g.sk, g.guard))
                .collect();
        Ok(Box::new(CandidatesSink {
            kind,
            majors,
            guards,
            first_row: HashMap::new(),
            today: state.clock.now_cst().date_naive(),
            pool: 0..0,
            block: ctx.rows_expected.max(NUMBER_BLOCK as usize) as u64,
            saved: Saved::default(),
        }))
    }
}

struct CandidatesSink {
    kind: CandidateKind,
    majors: super::service::Majors,
    /// The school's uniqueness guards when the import started, by `证件类型#证件号码`.
    guards: HashMap<String, Guard>,
    /// Rows of this file so far, by `证件类型#证件号码`.
    first_row: HashMap<String, usize>,
    today: chrono::NaiveDate,
    /// Reserved 考生编号 sequence numbers not handed out yet.
    pool: std::ops::Range<u64>,
    /// How many numbers a reservation takes: the file's rows, so that one
    /// reservation serves the whole import (a reservation between chunks
    /// would wait for the chunk being saved).
    block: u64,
    /// What this import saved, for `undo`.
    saved: Saved,
}

/// 考生编号 are reserved at least this many at a time during an import (one
/// counter write per block, not per chunk; numbers left over are never used).
const NUMBER_BLOCK: u64 = 10_000;

impl CandidatesSink {
    /// `n` consecutive sequence numbers from the import's reserved block.
    async fn numbers(&mut self, state: &AppState, n: u64) -> Result<u64, TableError> {
        if self.pool.end - self.pool.start < n {
            let size = n.max(self.block);
            let first = super::number::reserve(state.table.as_ref(), size).await?;
            self.pool = first..first + size;
        }
        let first = self.pool.start;
        self.pool.start += n;
        Ok(first)
    }
}

#[async_trait]
impl RowSink for CandidatesSink {
    async fn apply(&mut self, ctx: &ImportContext<'_>, rows: &[Row]) -> anyhow::Result<Saving> {
        let state = ctx.state;
        let school = &ctx.record.tenant;
        let import_id = ctx.record.id.as_str();

        let mut outcomes: Vec<Result<(), String>> = Vec::with_capacity(rows.len());
        // Rows to write: new ones, and this import's own from an earlier attempt.
        let mut fresh: Vec<(usize, Checked)> = Vec::new();
        let mut own: Vec<(Checked, String)> = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let checked = input_of(self.kind, row).and_then(|input| {
                let major = match &input.major_code {
                    Some(text) => self.majors.resolve(text)?,
                    None => None,
                };
                check(&input, self.today, major)
            });
            let c = match checked {
                Ok(c) => c,
                Err(e) => {
                    outcomes.push(Err(e));
                    continue;
                }
            };
            let id_key = Candidate::id_key(c.id.id_type, &c.id.number);
            if let Some(first) = self.first_row.get(&id_key) {
                outcomes.push(Err(format!("与第{first}行证件号码重复")));
                continue;
            }
            match self.guards.get(&id_key) {
                Some(g) if g.import_id.as_deref() == Some(import_id) => {
                    own.push((c, g.candidate_no.clone()));
                    outcomes.push(Ok(()));
                }
                Some(_) => outcomes.push(Err("该考生已存在".into())),
                None => {
                    fresh.push((i, c));
                    outcomes.push(Ok(()));
                }
            }
            self.first_row.insert(id_key, row.number);
        }
        if ctx.dry_run {
            return Ok(saved(outcomes));
        }

        // This import's own candidates a crash may have left unwritten.
        let mut repairs = Vec::new();
        let own_keys: Vec<[Key; 2]> = own
            .iter()
            .map(|(c, no)| {
                [
                    Candidate::guard_key(school, c.id.id_type, &c.id.number),
                    Candidate::key(school, self.kind, no),
                ]
            })
            .collect();
        if !own.is_empty() {
            let (checked, nos): (Vec<Checked>, Vec<String>) = own.into_iter().unzip();
            let mut built = new_candidates(state, checked).await?;
            for (c, no) in built.iter_mut().zip(nos) {
                c.candidate_no = no;
            }
            repairs = built
                .iter()
                .map(|c| c.to_item(school))
                .collect::<Result<Vec<Item>, _>>()?;
        }

        let (positions, checked): (Vec<usize>, Vec<Checked>) = fresh.into_iter().unzip();
        let first = self.numbers(state, checked.len() as u64).await?;
        let candidates = numbered(state, checked, first);
        let fresh_keys: Vec<[Key; 2]> = candidates
            .iter()
            .map(|c| {
                [
                    Candidate::guard_key(school, c.id_type, &c.id_number),
                    c.item_key(school),
                ]
            })
            .collect();
        let groups = candidates
            .iter()
            .map(|c| c.guarded(school, Some(import_id)))
            .collect::<Result<Vec<Guarded>, TableError>>()?;
        drop(candidates);
        let table = state.table.clone();
        let saved = self.saved.clone();
        Ok(Box::pin(async move {
            if !repairs.is_empty() {
                table.insert_new(repairs).await?;
            }
            for keys in own_keys {
                saved.row(keys, None);
            }
            let won = table.insert_guarded(groups).await?;
            for ((pos, won), keys) in positions.into_iter().zip(won).zip(fresh_keys) {
                if won {
                    saved.row(keys, None);
                } else {
                    // Another import created this person meanwhile.
                    outcomes[pos] = Err("该考生已存在".into());
                }
            }
            Ok(outcomes)
        }))
    }

    async fn undo(&mut self, ctx: &ImportContext<'_>) -> anyhow::Result<usize> {
        let school = &ctx.record.tenant;
        // Each saved row is its [guard, candidate] pair; an earlier delivery
        // of this import left its own guards behind.
        let (mut rows, mut created, _) = self.saved.take();
        let seen: std::collections::HashSet<Key> = created.iter().cloned().collect();
        for (id_key, g) in &self.guards {
            if g.import_id.as_deref() != Some(ctx.record.id.as_str()) {
                continue;
            }
            let pair = [
                Candidate::guard_key_of(school, id_key),
                Candidate::key(school, self.kind, &g.candidate_no),
            ];
            if !pair.iter().any(|k| seen.contains(k)) {
                rows += 1;
                created.extend(pair);
            }
        }
        for chunk in created.chunks(2_000) {
            let pairs: Vec<(&Key, &Key)> = chunk.chunks_exact(2).map(|p| (&p[0], &p[1])).collect();
            let nos: Vec<String> = pairs
                .iter()
                .filter_map(|(_, item)| Candidate::number_of_row(&item.sk))
                .collect();
            let found = find_all(ctx.state, school, &nos).await?;
            // Each candidate goes with its rows and counts, all at once, and
            // only as read (not one registered meanwhile).
            let groups = found.iter().map(|c| c.remove(school)).collect();
            ctx.state.table.apply_groups(groups).await?;
            // A guard whose candidate a crash left unwritten goes alone.
            let present: std::collections::HashSet<Key> =
                found.iter().map(|c| c.item_key(school)).collect();
            let orphans: Vec<BatchOp> = pairs
                .iter()
                .filter(|(_, item)| !present.contains(*item))
                .map(|(guard, _)| BatchOp::Delete((*guard).clone()))
                .collect();
            if !orphans.is_empty() {
                ctx.state.table.batch_write(orphans).await?;
            }
        }
        Ok(rows)
    }
}
