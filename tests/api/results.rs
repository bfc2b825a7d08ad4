//! 考证结果 and 统计分析 over HTTP: both subjects of 初级 arranged and
//! scored, the lock deciding each registration (全科合格), the lists and
//! details of school and org, the export, and the figures of school, org
//! and province — also after the closer runs again.

use std::collections::HashSet;

use serde_json::{Value, json};
use vslc_api_tests::{TestApp, XCell, column, typed_sheet, workbook};
use vslc_app::seed::exam::DEMO_PLAN_ID;

use crate::scheduling::{IN_WINDOW, SUBJECT1, SUBJECT2, app, arrange, fixture, room};

fn text(c: &XCell) -> String {
    match c {
        XCell::Text(t) => t.clone(),
        XCell::Number(n) => n.to_string(),
        XCell::Empty => String::new(),
    }
}

/// The subject's 成绩登记表: (准考证号, 考生编号, 姓名) a row.
async fn seated(app: &TestApp, org: &str, subject: &str) -> Vec<[String; 3]> {
    let r = app
        .post(
            &format!("/api/scores/sheets/{DEMO_PLAN_ID}.{subject}/template"),
            Some(org),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let sheet = typed_sheet(&app.download(r.body["url"].as_str().unwrap()).await);
    sheet[1..]
        .iter()
        .map(|r| std::array::from_fn(|i| text(&r[i])))
        .collect()
}

async fn import(app: &TestApp, org: &str, subject: &str, rows: Vec<Vec<String>>) {
    let mut all = vec![vec![
        "*准考证号".to_owned(),
        "*考生编号".into(),
        "*姓名".into(),
        "成绩".into(),
        "缺考/违纪".into(),
    ]];
    let n = rows.len();
    all.extend(rows);
    let refs: Vec<Vec<&str>> = all
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let id = app
        .upload_import_with(
            org,
            "scores",
            "成绩.xlsx",
            workbook(&refs),
            false,
            json!({"planId": DEMO_PLAN_ID, "subjectId": subject}),
        )
        .await;
    let rec = app.wait_import(org, &id).await;
    assert_eq!(rec["success"], n, "{rec}");
}

async fn stats(app: &TestApp, token: &str, by: &str) -> Value {
    let r = app
        .get(&format!("/api/statistics/{by}?year=2026"), Some(token))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

#[tokio::test]
async fn results_and_statistics_follow_the_locked_scores() {
    let (app, clock) = app().await;
    let mut f = fixture(&app).await;
    room(&app, &f.school, &f.site, SUBJECT2, "第3考场", 12).await;
    f.at(&app, &clock, IN_WINDOW).await;
    for subject in [SUBJECT1, SUBJECT2] {
        let r = arrange(&app, &f.school, &f.site, subject).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    f.at(&app, &clock, "2026-04-06T10:00:00+08:00").await;
    let s1 = seated(&app, &f.org, SUBJECT1).await;
    let s2 = seated(&app, &f.org, SUBJECT2).await;
    assert_eq!((s1.len(), s2.len()), (10, 10));
    // 理论知识: one 缺考, one below the 合格分; 实操技能: one 违纪.
    let failing: HashSet<String> = [&s1[1][1], &s1[2][1], &s2[3][1]]
        .into_iter()
        .cloned()
        .collect();
    let line = |r: &[String; 3], score: &str, mark: &str| {
        vec![
            r[0].clone(),
            r[1].clone(),
            r[2].clone(),
            score.into(),
            mark.into(),
        ]
    };
    import(
        &app,
        &f.org,
        SUBJECT1,
        s1.iter()
            .enumerate()
            .map(|(i, r)| match i {
                1 => line(r, "", "缺考"),
                2 => line(r, "59.5", ""),
                _ => line(r, "80", ""),
            })
            .collect(),
    )
    .await;
    import(
        &app,
        &f.org,
        SUBJECT2,
        s2.iter()
            .enumerate()
            .map(|(i, r)| {
                if i == 3 {
                    line(r, "90", "违纪")
                } else {
                    line(r, "60", "")
                }
            })
            .collect(),
    )
    .await;
    // Nothing is decided before the lock.
    let r = app.get("/api/results", Some(&f.school)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["items"].as_array().unwrap().len(), 0);
    assert_eq!(
        stats(&app, &f.org, "certificates").await["total"]["registered"],
        0
    );

    f.at(&app, &clock, "2026-04-24T08:00:00+08:00").await;
    app.run_period_closer().await;
    // Each school its own results; the org all of its plan's.
    let mut passed = 0;
    let mut seen = 0;
    for (token, school) in [(&f.school, "10009"), (&f.school2, "14361")] {
        let r = app.get("/api/results?pageSize=50", Some(token)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        for item in r.body["items"].as_array().unwrap() {
            assert_eq!(item["schoolId"], school);
            assert!(item["idNumber"].as_str().unwrap().contains('*'));
            assert_eq!(item["condition"], "全科合格");
            assert_eq!(item["subjects"].as_array().unwrap().len(), 2, "{item}");
            let no = item["candidateNo"].as_str().unwrap();
            let expected = if failing.contains(no) {
                "未通过"
            } else {
                "已通过"
            };
            assert_eq!(item["status"], expected, "{item}");
            passed += usize::from(expected == "已通过");
            seen += 1;
        }
    }
    assert_eq!((seen, passed), (10, 7));
    let r = app.get("/api/results", Some(&f.org)).await;
    assert_eq!(r.status, 400, "the org names a plan: {}", r.body);
    let r = app
        .get(
            &format!("/api/results?pageSize=50&planId={DEMO_PLAN_ID}&status=未通过"),
            Some(&f.org),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let failed = r.body["items"].as_array().unwrap();
    assert_eq!(failed.len(), 3);
    // 查看考证详情: every subject, the 缺考 among them.
    let absent = failed
        .iter()
        .find(|i| i["candidateNo"] == s1[1][1].as_str())
        .unwrap();
    let id = absent["id"].as_str().unwrap();
    let d = app.get(&format!("/api/results/{id}"), Some(&f.org)).await;
    assert_eq!(d.status, 200, "{}", d.body);
    let texts: Vec<&str> = d.body["subjects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["scoreText"].as_str().unwrap())
        .collect();
    assert!(
        texts.contains(&"缺考") && texts.contains(&"60"),
        "{texts:?}"
    );
    let owner = if absent["schoolId"] == "10009" {
        &f.school
    } else {
        &f.school2
    };
    let other = if absent["schoolId"] == "10009" {
        &f.school2
    } else {
        &f.school
    };
    assert_eq!(
        app.get(&format!("/api/results/{id}"), Some(owner))
            .await
            .status,
        200
    );
    assert_eq!(
        app.get(&format!("/api/results/{id}"), Some(other))
            .await
            .status,
        404
    );
    let org2 = app.login("org2-admin").await;
    assert_eq!(
        app.get(&format!("/api/results/{id}"), Some(&org2))
            .await
            .status,
        404
    );
    for bad in ["x", "a.b.c", "%E4%B8%AD.b"] {
        assert_eq!(
            app.get(&format!("/api/results/{bad}"), Some(&f.org))
                .await
                .status,
            404
        );
    }

    // 批量导出证书考核详情: the manual's columns, masked.
    let r = app
        .post(
            "/api/results/export",
            Some(&f.school),
            json!({"ids": [], "filter": {}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let x = typed_sheet(&app.download(r.body["url"].as_str().unwrap()).await);
    assert_eq!(x.len(), 7, "six candidates of 北方工业大学 and the header");
    assert!(text(&x[1][column(&x, "身份证号")]).contains('*'));
    assert_eq!(text(&x[1][column(&x, "通过条件")]), "全科合格");

    // 统计分析: the school its own, the org and the province all.
    let own = stats(&app, &f.school, "certificates").await;
    let fails_here = app
        .get("/api/results?pageSize=50&status=未通过", Some(&f.school))
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .len() as u64;
    assert_eq!(own["total"]["registered"], 6, "{own}");
    assert_eq!(own["total"]["passed"], 6 - fails_here);
    assert_eq!(own["years"], json!([2026]));
    for token in [&f.org, &app.login("province-admin").await] {
        let all = stats(&app, token, "certificates").await;
        assert_eq!(all["rows"].as_array().unwrap().len(), 1, "{all}");
        let row = &all["rows"][0];
        assert_eq!(
            (
                row["registered"].as_u64(),
                row["sat"].as_u64(),
                row["passed"].as_u64()
            ),
            (Some(10), Some(10), Some(7)),
            "{all}"
        );
        assert_eq!(row["passRate"], 70.0);
        assert_eq!(all["plans"].as_array().unwrap().len(), 1);
        let levels = stats(&app, token, "levels").await;
        assert_eq!(levels["rows"][0]["level"], "初级");
    }
    assert_eq!(
        stats(&app, &org2, "certificates").await["total"]["registered"],
        0
    );
    let r = app
        .get("/api/statistics/certificates?year=2025", Some(&f.org))
        .await;
    assert_eq!(r.body["total"]["registered"], 0);
    let r = app
        .post(
            "/api/statistics/levels/export",
            Some(&f.org),
            json!({"year": 2026}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let x = typed_sheet(&app.download(r.body["url"].as_str().unwrap()).await);
    assert_eq!(text(&x[0][1]), "证书等级");
    assert_eq!(text(&x[2][0]), "合计");
    assert_eq!(text(&x[1][5]), "70.0%");

    // Deciding again (a closer that stopped before leaving the queue):
    // the same results and figures, nothing counted twice.
    let state = app.state();
    let plan = vslc_exam::Plan::load(&state, DEMO_PLAN_ID)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        vslc_scores::results::compute_plan(&state, &plan)
            .await
            .unwrap(),
        10
    );
    let again = stats(&app, &f.org, "certificates").await;
    assert_eq!(again["total"]["registered"], 10);
    assert_eq!(again["total"]["passed"], 7);
    app.stop().await;
}
