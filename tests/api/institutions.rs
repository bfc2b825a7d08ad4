use serde_json::json;
use vslc_api_tests::{png, spawn_app};

#[tokio::test]
async fn a_school_edits_its_profile_and_uploads_a_checked_seal() {
    let app = spawn_app().await;
    let token = app.login("school-admin").await;
    let p = app.get("/api/schools/profile", Some(&token)).await;
    assert_eq!(p.status, 200);
    assert_eq!(
        (p.body["code"].as_str(), p.body["name"].as_str()),
        (Some("10009"), Some("北方工业大学"))
    );
    assert_eq!(p.body["leads"][0]["name"], "孙老师");
    assert!(p.body["sealUrl"].is_null());

    let edit = json!({"address": "北京市石景山区晋元庄路5号 教学楼", "contact": "张老师", "phone": "010-88800009", "email": "kw@example.edu.cn",
        "leads": [{"certificateId": "CERT0101", "certificateName": "Web前端开发职业技能等级证书", "name": "孙老师", "phone": "13811110009"}]});
    let r = app
        .put_json("/api/schools/profile", &token, edit.clone())
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["phone"], "010-88800009");
    let mut bad = edit.clone();
    bad["leads"][0]["phone"] = json!("12");
    assert_eq!(
        app.put_json("/api/schools/profile", &token, bad)
            .await
            .status,
        400
    );

    // A fake "PNG" is refused; a real one is kept and linked.
    let begin = app
        .post("/api/schools/profile/seal", Some(&token), json!({}))
        .await;
    assert_eq!(
        app.put_upload(&begin.body, b"\x89PNG but not really".to_vec())
            .await,
        200
    );
    let r = app
        .post("/api/schools/profile/seal/confirm", Some(&token), json!({}))
        .await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (400, Some("请上传 PNG 格式的图片"))
    );
    let begin = app
        .post("/api/schools/profile/seal", Some(&token), json!({}))
        .await;
    app.put_upload(&begin.body, png(40, 40)).await;
    let r = app
        .post("/api/schools/profile/seal/confirm", Some(&token), json!({}))
        .await;
    assert!(
        r.body["message"].as_str().unwrap().contains("40×40"),
        "{}",
        r.body
    );
    let begin = app
        .post("/api/schools/profile/seal", Some(&token), json!({}))
        .await;
    app.put_upload(&begin.body, png(300, 300)).await;
    let r = app
        .post("/api/schools/profile/seal/confirm", Some(&token), json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let seal = app
        .http
        .get(r.body["sealUrl"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(seal.bytes().await.unwrap().to_vec(), png(300, 300));

    let org = app.login("org-admin").await;
    assert_eq!(
        app.get("/api/schools/profile", Some(&org)).await.status,
        403
    );
    app.stop().await;
}

#[tokio::test]
async fn an_org_maintains_its_profile_seal_and_signature() {
    let app = spawn_app().await;
    let token = app.login("org-admin").await;
    let p = app.get("/api/orgs/profile", Some(&token)).await;
    assert_eq!(p.body["id"], "ORG001");
    let r = app.put_json("/api/orgs/profile", &token, json!({"contact": "王主任", "phone": "010-62510009", "address": "北京市海淀区", "introduction": "简介", "paymentMethod": "银行转账：收款单位 示例；账号 123"})).await;
    assert_eq!(r.body["phone"], "010-62510009");
    assert_eq!(r.body["paymentMethod"], "银行转账：收款单位 示例；账号 123");
    let r = app.put_json("/api/orgs/profile", &token, json!({"contact": "王主任", "phone": "010-62510009", "address": "北京市海淀区", "paymentMethod": "转".repeat(501)})).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.body["message"], "缴费方式不能超过500个字符");
    for image in ["seal", "signature"] {
        let begin = app
            .post(
                &format!("/api/orgs/profile/images/{image}"),
                Some(&token),
                json!({}),
            )
            .await;
        assert_eq!(app.put_upload(&begin.body, png(200, 120)).await, 200);
        let r = app
            .post(
                &format!("/api/orgs/profile/images/{image}/confirm"),
                Some(&token),
                json!({}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let p = app.get("/api/orgs/profile", Some(&token)).await;
    assert!(p.body["sealUrl"].is_string() && p.body["signatureUrl"].is_string());
    assert_eq!(
        app.post("/api/orgs/profile/images/logo", Some(&token), json!({}))
            .await
            .status,
        404
    );
    let school = app.login("school-admin").await;
    assert_eq!(
        app.get("/api/orgs/profile", Some(&school)).await.status,
        403
    );
    app.stop().await;
}

#[tokio::test]
async fn standards_are_seen_by_pilot_schools_and_kept_by_their_org() {
    let app = spawn_app().await;
    let school = app.login("school-admin").await;
    let skill = app
        .get("/api/standards/skill?pageSize=50", Some(&school))
        .await;
    assert_eq!(skill.body["total"], 4, "one per pilot certificate");
    let site = app
        .get(
            "/api/standards/site?certificate=Web前端&pageSize=50",
            Some(&school),
        )
        .await;
    assert_eq!(site.body["total"], 3);
    let disabled = app
        .get("/api/standards/site?status=已停用", Some(&school))
        .await;
    assert_eq!(disabled.body["total"], 1);
    assert_eq!(
        disabled.body["items"][0]["name"],
        "Web前端开发（高级）考核站点建设标准"
    );
    assert_eq!(
        app.get("/api/standards/other", Some(&school)).await.status,
        404
    );
    let not_mine = app
        .get("/api/standards/skill/SKILL0301", Some(&school))
        .await;
    assert_eq!(not_mine.status, 404);

    let org = app.login("org-admin").await;
    let input = json!({"certificateId": "CERT0101", "code": "ORG001-099-S", "name": "Web前端开发职业技能等级标准（2026）", "standardVersion": "3.0",
        "content": "更新的技能要求", "publishedAt": "2026-11-01"});
    let created = app
        .post("/api/standards/skill", Some(&org), input.clone())
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let off = app
        .post(
            &format!("/api/standards/skill/{id}/disable"),
            Some(&org),
            json!({}),
        )
        .await;
    assert_eq!(off.body["status"], "已停用");
    assert_eq!(
        app.post(
            &format!("/api/standards/skill/{id}/disable"),
            Some(&org),
            json!({})
        )
        .await
        .status,
        409
    );
    let seen = app
        .get(&format!("/api/standards/skill/{id}"), Some(&school))
        .await;
    assert_eq!(
        seen.body["status"], "已停用",
        "schools see stopped standards too"
    );
    let mut foreign = input.clone();
    foreign["certificateId"] = json!("CERT0201");
    assert_eq!(
        app.post("/api/standards/skill", Some(&org), foreign)
            .await
            .status,
        400,
        "only its own certificates"
    );
    let mut site = input.clone();
    site["level"] = json!("高级");
    site["name"] = json!("Web前端开发（高级）考核站点建设标准");
    assert_eq!(
        app.post("/api/standards/site", Some(&org), site)
            .await
            .status,
        201
    );
    assert_eq!(
        app.post("/api/standards/skill", Some(&school), input)
            .await
            .status,
        403
    );
    let other_org_std = app
        .post(
            "/api/standards/skill/SKILL0201/enable",
            Some(&org),
            json!({}),
        )
        .await;
    assert_eq!(other_org_std.status, 404);
    app.stop().await;
}
