use serde_json::{Value, json};
use vslc_api_tests::{TestApp, create_user, sms_code, spawn_app};

async fn login_with(app: &TestApp, account: &str, password: &str) -> (u16, Value) {
    let r = app
        .post(
            "/api/auth/login",
            None,
            json!({"account": account, "password": password}),
        )
        .await;
    (r.status, r.body)
}

#[tokio::test]
async fn roles_are_those_of_the_tenant() {
    let app = spawn_app().await;
    let admin = app.login("school-admin").await;
    let r = app.get("/api/users/roles", Some(&admin)).await;
    let names: Vec<&str> = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec![
            "院校管理员",
            "考务管理员",
            "证书负责人",
            "统计查看",
            "监考员"
        ]
    );
    assert_eq!(r.body[0]["assignable"], false);
    // 监考员 logins are opened from 监考人员, never given in 新增用户.
    assert_eq!(r.body[4]["assignable"], false);
    let org = app.login("org-admin").await;
    let r = app.get("/api/users/roles", Some(&org)).await;
    assert_eq!(r.body[0]["name"], "培训评价组织管理员");
    app.stop().await;
}

#[tokio::test]
async fn a_sub_account_is_created_with_the_sms_code_and_can_log_in() {
    let app = spawn_app().await;
    let admin = app.login("school-admin").await;
    let bad_phone = app
        .post(
            "/api/users/verification-code",
            Some(&admin),
            json!({"phone": "123"}),
        )
        .await;
    assert_eq!(bad_phone.status, 400);
    assert_eq!(
        bad_phone.body["message"],
        "手机号格式不正确，请输入11位手机号"
    );

    let phone = "13800138001";
    app.post(
        "/api/users/verification-code",
        Some(&admin),
        json!({"phone": phone}),
    )
    .await;
    let again = app
        .post(
            "/api/users/verification-code",
            Some(&admin),
            json!({"phone": phone}),
        )
        .await;
    assert_eq!(again.status, 409, "one code a minute");
    let code = sms_code(&app, phone).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let body = |c: &str| json!({"account": "kw-zhang", "name": "张考务", "phone": phone, "code": c, "role": "考务管理员"});
    let r = app.post("/api/users", Some(&admin), body(wrong)).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["message"], "验证码错误，还可尝试4次");
    let r = app.post("/api/users", Some(&admin), body(&code)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let password = r.body["password"].as_str().unwrap().to_owned();
    let id = r.body["user"]["id"].as_str().unwrap().to_owned();
    assert_eq!(r.body["user"]["phone"], phone);

    let reused = app.post("/api/users", Some(&admin), json!({"account": "kw-li", "name": "李", "phone": phone, "code": code, "role": "考务管理员"})).await;
    assert_eq!(reused.status, 400, "a code is used once");

    let (status, login) = login_with(&app, "kw-zhang", &password).await;
    assert_eq!(status, 200);
    assert_eq!(login["user"]["roles"], json!(["考务管理员"]));
    let kw = login["token"].as_str().unwrap();
    assert_eq!(
        app.get("/api/users", Some(kw)).await.status,
        403,
        "only the administrator manages users"
    );

    let list = app
        .get("/api/users?account=kw&page=1&pageSize=10", Some(&admin))
        .await;
    assert_eq!(list.body["total"], 1);
    assert_eq!(
        list.body["items"][0]["phone"], "138****8001",
        "masked in lists"
    );
    let one = app.get(&format!("/api/users/{id}"), Some(&admin)).await;
    assert_eq!(one.body["phone"], phone, "in full in the detail");

    let taken = create_user_conflict(&app, &admin, "kw-zhang").await;
    assert_eq!(taken.0, 409);
    assert_eq!(taken.1["message"], "该账号已存在，请换一个账号");
    app.stop().await;
}

async fn create_user_conflict(app: &TestApp, admin: &str, account: &str) -> (u16, Value) {
    let phone = "13900139009";
    app.post(
        "/api/users/verification-code",
        Some(admin),
        json!({"phone": phone}),
    )
    .await;
    let code = sms_code(app, phone).await;
    let r = app.post("/api/users", Some(admin), json!({"account": account, "name": "重名", "phone": phone, "code": code, "role": "统计查看"})).await;
    (r.status, r.body)
}

#[tokio::test]
async fn stopping_a_user_ends_its_sessions_and_gates_edit_and_delete() {
    let app = spawn_app().await;
    let admin = app.login("school-admin").await;
    let (id, password) = create_user(&app, &admin, "tj-wang", "13700137002", "统计查看").await;
    let (_, login) = login_with(&app, "tj-wang", &password).await;
    let token = login["token"].as_str().unwrap().to_owned();
    assert_eq!(app.get("/api/auth/me", Some(&token)).await.status, 200);

    let edit = json!({"name": "王统计", "phone": "13700137002", "role": "考务管理员"});
    let r = app
        .send(
            app.http
                .put(app.url(&format!("/api/users/{id}")))
                .bearer_auth(&admin)
                .json(&edit),
        )
        .await;
    assert_eq!(r.status, 409, "edit only while 停用");
    assert_eq!(
        app.send(
            app.http
                .delete(app.url(&format!("/api/users/{id}")))
                .bearer_auth(&admin)
        )
        .await
        .status,
        409
    );

    let r = app
        .post(&format!("/api/users/{id}/disable"), Some(&admin), json!({}))
        .await;
    assert_eq!(r.body["status"], "停用");
    let me = app.get("/api/auth/me", Some(&token)).await;
    assert_eq!(me.status, 401, "its token stops working at once");
    assert_eq!(me.body["message"], "账号已停用，请联系本单位管理员");
    let (status, body) = login_with(&app, "tj-wang", &password).await;
    assert_eq!(
        (status, body["message"].as_str()),
        (403, Some("账号已停用，请联系本单位管理员"))
    );
    assert_eq!(
        app.post(&format!("/api/users/{id}/disable"), Some(&admin), json!({}))
            .await
            .status,
        409
    );

    let r = app
        .send(
            app.http
                .put(app.url(&format!("/api/users/{id}")))
                .bearer_auth(&admin)
                .json(&edit),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["role"], "考务管理员");
    assert_eq!(
        app.post(&format!("/api/users/{id}/enable"), Some(&admin), json!({}))
            .await
            .status,
        200
    );
    let (status, _) = login_with(&app, "tj-wang", &password).await;
    assert_eq!(status, 200);

    let me = app.get("/api/auth/me", Some(&admin)).await;
    let self_id = me.body["id"].as_str().unwrap();
    let r = app
        .post(
            &format!("/api/users/{self_id}/disable"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 409, "no one stops their own account");

    app.post(&format!("/api/users/{id}/disable"), Some(&admin), json!({}))
        .await;
    assert_eq!(
        app.send(
            app.http
                .delete(app.url(&format!("/api/users/{id}")))
                .bearer_auth(&admin)
        )
        .await
        .status,
        204
    );
    assert_eq!(
        app.get(&format!("/api/users/{id}"), Some(&admin))
            .await
            .status,
        404
    );
    let (status, _) = login_with(&app, "tj-wang", &password).await;
    assert_eq!(status, 401);
    app.stop().await;
}

#[tokio::test]
async fn reset_password_shows_it_once_and_ends_old_sessions() {
    let app = spawn_app().await;
    let admin = app.login("school-admin").await;
    let (id, old) = create_user(&app, &admin, "kw-reset", "13600136003", "考务管理员").await;
    let (_, login) = login_with(&app, "kw-reset", &old).await;
    let token = login["token"].as_str().unwrap().to_owned();
    let r = app
        .post(
            &format!("/api/users/{id}/reset-password"),
            Some(&admin),
            json!({}),
        )
        .await;
    let new = r.body["password"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    assert_eq!(app.get("/api/auth/me", Some(&token)).await.status, 401);
    assert_eq!(login_with(&app, "kw-reset", &old).await.0, 401);
    assert_eq!(login_with(&app, "kw-reset", &new).await.0, 200);

    // A user who forgot the password and was stopped gets in with the new one.
    for _ in 0..5 {
        login_with(&app, "kw-reset", "forgotten-1").await;
    }
    assert_eq!(login_with(&app, "kw-reset", &new).await.0, 429);
    let r = app
        .post(
            &format!("/api/users/{id}/reset-password"),
            Some(&admin),
            json!({}),
        )
        .await;
    let newer = r.body["password"].as_str().unwrap().to_owned();
    assert_eq!(login_with(&app, "kw-reset", &newer).await.0, 200);
    app.stop().await;
}

#[tokio::test]
async fn an_administrator_cannot_reset_their_own_password() {
    let app = spawn_app().await;
    let admin = app.login("school-admin").await;
    let me = app.get("/api/auth/me", Some(&admin)).await;
    let self_id = me.body["id"].as_str().unwrap();
    let r = app
        .post(
            &format!("/api/users/{self_id}/reset-password"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(
        (
            r.status,
            r.body["code"].as_str(),
            r.body["message"].as_str()
        ),
        (
            409,
            Some("SELF"),
            Some("不能重置自己的密码，请在右上角用户菜单中修改密码")
        )
    );
    assert_eq!(
        app.get("/api/auth/me", Some(&admin)).await.status,
        200,
        "the session goes on"
    );
    let disable = app
        .post(
            &format!("/api/users/{self_id}/disable"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (disable.status, disable.body["code"].as_str()),
        "refused like stopping oneself"
    );
    assert_eq!(
        login_with(&app, "school-admin", vslc_app::seed::DEMO_PASSWORD)
            .await
            .0,
        200,
        "the password is unchanged"
    );
    app.stop().await;
}

#[tokio::test]
async fn five_wrong_passwords_stop_that_address_for_15_minutes() {
    let app = spawn_app().await;
    for _ in 1..=4 {
        let (status, body) = login_with(&app, "school2-admin", "wrong-password1").await;
        assert_eq!(status, 401);
        assert_eq!(
            body["message"],
            "账号或密码错误（连续输错5次将暂停本机登录15分钟）"
        );
    }
    let (status, body) = login_with(&app, "school2-admin", "wrong-password1").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (429, Some("TOO_MANY_ATTEMPTS"))
    );
    assert_eq!(body["message"], "登录失败次数过多，请15分钟后再试");
    let (status, _) = login_with(&app, "school2-admin", vslc_app::seed::DEMO_PASSWORD).await;
    assert_eq!(
        status, 429,
        "even the right password waits, from that address"
    );
    let elsewhere = app
        .login_from(
            [127, 0, 0, 2],
            "school2-admin",
            vslc_app::seed::DEMO_PASSWORD,
        )
        .await;
    assert_eq!(elsewhere.status, 200, "the owner gets in from elsewhere");
    app.stop().await;
}

#[tokio::test]
async fn changing_the_password_checks_the_policy_and_renews_the_session() {
    let app = spawn_app().await;
    let token = app.login("org-admin").await;
    let pw = |old: &str, new: &str| json!({"oldPassword": old, "newPassword": new});
    let r = app
        .post(
            "/api/auth/password",
            Some(&token),
            pw("nope", "Better2026x"),
        )
        .await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (400, Some("原密码不正确"))
    );
    let r = app
        .post(
            "/api/auth/password",
            Some(&token),
            pw(vslc_app::seed::DEMO_PASSWORD, "short1"),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["code"], "WEAK_PASSWORD");
    let r = app
        .post(
            "/api/auth/password",
            Some(&token),
            pw(vslc_app::seed::DEMO_PASSWORD, "Better2026x"),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let fresh = r.body["token"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get("/api/auth/me", Some(&token)).await.status,
        401,
        "older sessions end"
    );
    assert_eq!(app.get("/api/auth/me", Some(&fresh)).await.status, 200);
    assert_eq!(login_with(&app, "org-admin", "Better2026x").await.0, 200);
    app.stop().await;
}

#[tokio::test]
async fn another_schools_users_look_missing_on_every_route() {
    let app = spawn_app().await;
    let one = app.login("school-admin").await;
    let two = app.login("school2-admin").await;
    let (id, _) = create_user(&app, &one, "kw-iso", "13500135004", "考务管理员").await;
    assert_eq!(
        app.get(&format!("/api/users/{id}"), Some(&two))
            .await
            .status,
        404
    );
    for action in ["disable", "enable", "reset-password"] {
        let r = app
            .post(&format!("/api/users/{id}/{action}"), Some(&two), json!({}))
            .await;
        assert_eq!(r.status, 404, "{action}");
        assert_eq!(r.body["message"], "用户不存在或无权访问");
    }
    let edit = json!({"name": "x", "phone": "13500135004", "role": "考务管理员"});
    assert_eq!(
        app.send(
            app.http
                .put(app.url(&format!("/api/users/{id}")))
                .bearer_auth(&two)
                .json(&edit)
        )
        .await
        .status,
        404
    );
    assert_eq!(
        app.send(
            app.http
                .delete(app.url(&format!("/api/users/{id}")))
                .bearer_auth(&two)
        )
        .await
        .status,
        404
    );
    let list = app.get("/api/users", Some(&two)).await;
    let accounts: Vec<&str> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["account"].as_str().unwrap())
        .collect();
    assert_eq!(accounts, vec!["school2-admin"]);
    app.stop().await;
}
