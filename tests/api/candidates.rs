use serde_json::{Value, json};
use vslc_api_tests::{create_user, spawn_app};
use vslc_ports::table::Update;

fn student(id: &str, name: &str) -> Value {
    json!({"kind": "school", "name": name, "namePinyin": "Wang Qiang", "idType": "身份证", "idNumber": id,
        "phone": "18512340926", "majorCode": "510201", "enrolmentYear": 2024})
}

#[tokio::test]
async fn a_candidate_is_created_numbered_masked_and_unique() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let r = app
        .post(
            "/api/candidates",
            Some(&t),
            student("513321200001010014", "王强"),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let no = r.body["candidateNo"].as_str().unwrap().to_owned();
    assert_eq!(no.len(), 26);
    assert!(
        no.starts_with("5133212024"),
        "{no}: region code and enrolment year"
    );
    assert_eq!(r.body["gender"], "男", "from the ID number");
    assert_eq!(r.body["status"], "无照片");
    assert_eq!(r.body["major"]["name"], "计算机应用技术");
    assert_eq!(r.body["majorLevel"], "高职专科", "from the catalogue major");
    assert_eq!(r.body["namePinyin"], "WANG QIANG");

    let list = app.get("/api/candidates?kind=school", Some(&t)).await;
    assert_eq!(list.body["total"], 1);
    assert_eq!(list.body["items"][0]["idNumber"], "513*****0014");
    assert_eq!(list.body["items"][0]["phone"], "185****0926");
    let one = app.get(&format!("/api/candidates/{no}"), Some(&t)).await;
    assert_eq!(one.body["idNumber"], "513321200001010014");

    let again = app
        .post(
            "/api/candidates",
            Some(&t),
            student("513321200001010014", "王强强"),
        )
        .await;
    assert_eq!(
        (again.status, again.body["code"].as_str()),
        (409, Some("CANDIDATE_EXISTS"))
    );
    // Lowercase and full-width input is the same person.
    let fw = app
        .post(
            "/api/candidates",
            Some(&t),
            student("５１３３２１２００００１０１００１４", "王强"),
        )
        .await;
    assert_eq!(fw.status, 409);
    // Another school may have the same person.
    let t2 = app.login("school2-admin").await;
    assert_eq!(
        app.post(
            "/api/candidates",
            Some(&t2),
            student("513321200001010014", "王强")
        )
        .await
        .status,
        201
    );
    app.stop().await;
}

#[tokio::test]
async fn bad_candidates_are_refused_with_the_reason() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let cases = [
        (
            student("513321200001010013", "王强"),
            "身份证号码校验位错误",
        ),
        (student("51332120000101001", "王强"), "身份证号码应为18位"),
        (
            json!({"kind": "school", "name": "王强", "namePinyin": "wang", "idType": "身份证", "idNumber": "11010519491231002X", "phone": "18512340926", "enrolmentYear": 2024}),
            "院校考生须填写就读专业",
        ),
        (
            json!({"kind": "school", "name": "王强", "namePinyin": "wang", "idType": "身份证", "idNumber": "11010519491231002X", "phone": "18512340926", "majorCode": "999999", "enrolmentYear": 2024}),
            "就读专业 999999 不在证书专业目录中",
        ),
        (
            json!({"kind": "school", "name": "王强", "namePinyin": "wang", "gender": "男", "idType": "身份证", "idNumber": "11010519491231002X", "phone": "18512340926", "majorCode": "510201", "enrolmentYear": 2024}),
            "性别与证件号码不一致",
        ),
        (
            json!({"kind": "social", "name": "John", "namePinyin": "JOHN", "idType": "护照", "idNumber": "E12345678"}),
            "请选择性别",
        ),
        (
            json!({"kind": "social", "name": "王", "namePinyin": "王", "idType": "护照", "idNumber": "E12345678", "gender": "男"}),
            "姓名拼音须为字母（可含空格）",
        ),
    ];
    for (body, message) in cases {
        let r = app.post("/api/candidates", Some(&t), body).await;
        assert_eq!((r.status, r.body["message"].as_str()), (400, Some(message)));
    }
    let social = json!({"kind": "social", "name": "John Smith", "namePinyin": "john smith", "idType": "护照", "idNumber": "e12345678", "gender": "男", "workUnit": "北京某科技公司"});
    let r = app.post("/api/candidates", Some(&t), social).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(
        r.body["candidateNo"]
            .as_str()
            .unwrap()
            .starts_with("000000")
    );
    assert_eq!(
        app.get("/api/candidates?kind=social", Some(&t)).await.body["total"],
        1
    );
    assert_eq!(
        app.get("/api/candidates?kind=school", Some(&t)).await.body["total"],
        0
    );
    // 就读专业 by its exact catalogue name.
    let mut by_name = student("11010519491231002X", "王强");
    by_name["majorCode"] = json!("软件技术");
    let r = app.post("/api/candidates", Some(&t), by_name).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["major"]["code"], "510203");
    app.stop().await;
}

#[tokio::test]
async fn lists_filter_by_every_field() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    app.post(
        "/api/candidates",
        Some(&t),
        student("513321200001010014", "王强"),
    )
    .await;
    let mut li = student("11010519491231002X", "李娜");
    li["majorCode"] = json!("530701");
    li["enrolmentYear"] = json!(2023);
    app.post("/api/candidates", Some(&t), li).await;
    let q = |s: &str| format!("/api/candidates?{s}");
    let wang = app.get(&q("name=王"), Some(&t)).await.body["items"][0]["candidateNo"]
        .as_str()
        .unwrap()
        .to_owned();
    // (query, rows, the total the counters give when they answer the filter)
    for (query, rows, total) in [
        ("name=李", 1, None),
        ("name=李娜", 1, None),
        ("name=娜", 0, None),
        ("kind=school&name=王", 1, None),
        ("kind=social&name=王", 0, None),
        ("idNumber=11010519491231002x", 1, Some(1)),
        ("idNumber=513321200001010014", 1, Some(1)),
        ("idNumber=0014", 0, Some(0)),
        (&format!("candidateNo={wang}"), 1, Some(1)),
        ("candidateNo=00000000000000000000000000", 0, Some(0)),
        ("major=电子商务", 1, None),
        ("major=510201", 1, None),
        ("level=高职专科", 2, None),
        ("enrolmentYear=2023", 1, None),
        ("status=无照片", 2, Some(2)),
        ("kind=school&status=无照片", 2, Some(2)),
        ("kind=social&status=无照片", 0, Some(0)),
        ("status=信息准确", 0, Some(0)),
        ("hasPhoto=false", 2, Some(2)),
        ("hasPhoto=true", 0, None),
        ("kind=school", 2, Some(2)),
        ("", 2, Some(2)),
    ] {
        let r = app.get(&q(query), Some(&t)).await;
        assert_eq!(r.status, 200, "{query}: {}", r.body);
        assert_eq!(r.body["items"].as_array().unwrap().len(), rows, "{query}");
        assert_eq!(r.body["total"].as_u64(), total, "{query}");
    }
    let bad = app.get(&q("status=已删除"), Some(&t)).await;
    assert_eq!(
        (bad.status, bad.body["code"].as_str()),
        (400, Some("BAD_STATUS"))
    );
    app.stop().await;
}

#[tokio::test]
async fn accurate_candidates_keep_their_identity_and_registered_ones_stay() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let r = app
        .post(
            "/api/candidates",
            Some(&t),
            student("513321200001010014", "王强"),
        )
        .await;
    let no = r.body["candidateNo"].as_str().unwrap().to_owned();

    // Before 信息准确 everything may change; the old ID number is free again.
    let moved = app
        .put_json(
            &format!("/api/candidates/{no}"),
            &t,
            student("320106199108171231", "王强"),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    assert_eq!(
        app.post(
            "/api/candidates",
            Some(&t),
            student("513321200001010014", "张三")
        )
        .await
        .status,
        201
    );

    app.set_candidate(&no, Update::new().set("status", "信息准确"))
        .await;
    let renamed = app
        .put_json(
            &format!("/api/candidates/{no}"),
            &t,
            student("320106199108171231", "王小强"),
        )
        .await;
    assert_eq!(
        (renamed.status, renamed.body["message"].as_str()),
        (409, Some("考生信息已准确，不能修改姓名"))
    );
    let reid = app
        .put_json(
            &format!("/api/candidates/{no}"),
            &t,
            student("11010519491231002X", "王强"),
        )
        .await;
    assert_eq!(reid.body["message"], "考生信息已准确，不能修改证件号码");
    let mut phone = student("320106199108171231", "王强");
    phone["phone"] = json!("13900001111");
    assert_eq!(
        app.put_json(&format!("/api/candidates/{no}"), &t, phone)
            .await
            .status,
        200,
        "other fields stay editable"
    );

    app.set_registrations(&no, 1).await;
    let del = app
        .send(
            app.http
                .delete(app.url(&format!("/api/candidates/{no}")))
                .bearer_auth(&t),
        )
        .await;
    assert_eq!(
        (del.status, del.body["message"].as_str()),
        (409, Some("该考生已有1条报考记录，不能删除"))
    );
    let all = app.get("/api/candidates", Some(&t)).await;
    let other = all.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["candidateNo"] != no.as_str())
        .unwrap()["candidateNo"]
        .as_str()
        .unwrap()
        .to_owned();
    let batch = app
        .post(
            "/api/candidates/batch-delete",
            Some(&t),
            json!({"ids": [no, other, "NOPE"]}),
        )
        .await;
    assert_eq!(
        (
            batch.body["succeeded"].as_u64(),
            batch.body["failed"].as_u64()
        ),
        (Some(1), Some(2))
    );
    assert_eq!(batch.body["results"][0]["code"], "HAS_REGISTRATIONS");
    assert_eq!(batch.body["results"][2]["code"], "NOT_FOUND");
    app.stop().await;
}

#[tokio::test]
async fn manual_confirmation_applies_only_to_candidates_under_review() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let no = app
        .post(
            "/api/candidates",
            Some(&t),
            student("513321200001010014", "王强"),
        )
        .await
        .body["candidateNo"]
        .as_str()
        .unwrap()
        .to_owned();
    let early = app
        .post(
            &format!("/api/candidates/{no}/confirm"),
            Some(&t),
            json!({}),
        )
        .await;
    assert_eq!(early.status, 409);
    assert!(early.body["message"].as_str().unwrap().contains("无照片"));
    app.set_candidate(
        &no,
        Update::new()
            .set("status", "需人工确认")
            .set("reviewReason", "照片比对未通过"),
    )
    .await;
    let ok = app
        .post(
            &format!("/api/candidates/{no}/confirm"),
            Some(&t),
            json!({}),
        )
        .await;
    assert_eq!(
        (ok.status, ok.body["status"].as_str()),
        (200, Some("信息准确"))
    );
    assert!(ok.body["reviewReason"].is_null());
    app.stop().await;
}

#[tokio::test]
async fn another_schools_candidates_look_missing_and_viewers_cannot_write() {
    let app = spawn_app().await;
    let one = app.login("school-admin").await;
    let two = app.login("school2-admin").await;
    let no = app
        .post(
            "/api/candidates",
            Some(&one),
            student("513321200001010014", "王强"),
        )
        .await
        .body["candidateNo"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.get(&format!("/api/candidates/{no}"), Some(&two))
            .await
            .status,
        404
    );
    assert_eq!(
        app.put_json(
            &format!("/api/candidates/{no}"),
            &two,
            student("513321200001010014", "王强")
        )
        .await
        .status,
        404
    );
    assert_eq!(
        app.send(
            app.http
                .delete(app.url(&format!("/api/candidates/{no}")))
                .bearer_auth(&two)
        )
        .await
        .status,
        404
    );
    assert_eq!(
        app.post(
            &format!("/api/candidates/{no}/confirm"),
            Some(&two),
            json!({})
        )
        .await
        .status,
        404
    );
    assert_eq!(
        app.get("/api/candidates", Some(&two)).await.body["total"],
        0
    );
    let org = app.login("org-admin").await;
    assert_eq!(app.get("/api/candidates", Some(&org)).await.status, 403);

    let (_, password) = create_user(&app, &one, "tj-view", "13700137009", "统计查看").await;
    let viewer = app
        .post(
            "/api/auth/login",
            None,
            json!({"account": "tj-view", "password": password}),
        )
        .await
        .body["token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.get("/api/candidates", Some(&viewer)).await.body["total"],
        1,
        "viewers read"
    );
    let w = app
        .post(
            "/api/candidates",
            Some(&viewer),
            student("11010519491231002X", "李娜"),
        )
        .await;
    assert_eq!(
        (w.status, w.body["message"].as_str()),
        (403, Some("当前角色只能查看，不能修改考务数据"))
    );
    app.stop().await;
}

#[tokio::test]
async fn exports_mask_identities_escape_formulas_and_follow_the_selection() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let a = app
        .post(
            "/api/candidates",
            Some(&t),
            student("513321200001010014", "王强"),
        )
        .await
        .body["candidateNo"]
        .as_str()
        .unwrap()
        .to_owned();
    let social = json!({"kind": "social", "name": "李娜", "namePinyin": "LI NA", "idType": "身份证", "idNumber": "11010519491231002X",
        "phone": "13800138000", "workUnit": "=HYPERLINK(\"http://x\")"});
    assert_eq!(
        app.post("/api/candidates", Some(&t), social).await.status,
        201
    );

    let all = app
        .post("/api/candidates/export", Some(&t), json!({}))
        .await;
    assert_eq!(all.body["rows"], 2, "{}", all.body);
    let bytes = app
        .http
        .get(all.body["url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let sheet = vslc_imports::xlsx::read_first_sheet(&bytes).unwrap();
    assert_eq!(sheet[0][0], "考生编号");
    let li = sheet.iter().find(|r| r[2] == "李娜").unwrap();
    assert_eq!(li[6], "110*****002X", "ID numbers masked");
    assert_eq!(li[7], "138****8000", "phones masked");
    assert_eq!(li[11], "'=HYPERLINK(\"http://x\")", "formulas escaped");
    let typed = vslc_api_tests::typed_sheet(&bytes);
    let (count, no) = (
        vslc_api_tests::column(&typed, "已报考证书数"),
        vslc_api_tests::column(&typed, "考生编号"),
    );
    for r in &typed[1..] {
        assert_eq!(r[count], vslc_api_tests::XCell::Number(0.0), "{r:?}");
        assert!(matches!(r[no], vslc_api_tests::XCell::Text(_)), "{r:?}");
    }
    assert!(
        !sheet
            .iter()
            .flatten()
            .any(|c| c.contains("513321200001010014"))
    );

    let picked = app
        .post("/api/candidates/export", Some(&t), json!({"ids": [a]}))
        .await;
    assert_eq!(picked.body["rows"], 1);
    let social_only = app
        .post(
            "/api/candidates/export",
            Some(&t),
            json!({"kind": "social"}),
        )
        .await;
    assert_eq!(social_only.body["rows"], 1);
    let two = app.login("school2-admin").await;
    assert_eq!(
        app.post("/api/candidates/export", Some(&two), json!({"ids": [a]}))
            .await
            .body["rows"],
        0,
        "another school's ids export nothing"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_major_dropdown_lists_the_catalogue_to_schools_only() {
    let app = spawn_app().await;
    let t = app.login("school-admin").await;
    let r = app.get("/api/candidates/majors", Some(&t)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let majors = r.body.as_array().unwrap();
    assert!(
        majors.iter().any(|m| m["code"] == "510201"
            && m["name"] == "计算机应用技术"
            && m["level"] == "高职专科"),
        "{}",
        r.body
    );
    let codes: Vec<&str> = majors.iter().filter_map(|m| m["code"].as_str()).collect();
    assert!(codes.windows(2).all(|w| w[0] < w[1]), "by code, once each");
    let org = app.login("org-admin").await;
    assert_eq!(
        app.get("/api/candidates/majors", Some(&org)).await.status,
        403
    );
    assert_eq!(app.get("/api/candidates/majors", None).await.status, 401);
}
