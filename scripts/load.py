#!/usr/bin/env python3
"""A school with 100,000 candidates, tried on the shipped server (issue 14).

    cargo build --release -p vslc-local
    python3 scripts/load.py --server target/release/vslc-local

Starts the given `vslc-local` on a fresh data directory and a free loopback
port (or uses `--base` on loopback), signs in as the demo school's
administrator, and then:

1. imports a realistic roster (random valid 身份证 numbers, the demo
   catalogue's majors, real surnames and given names with their pinyin,
   mobile numbers) through the HTTP contract — POST /api/imports, PUT to
   the signed upload URL, polling GET /api/imports/{id} every 20 ms — and
   prints the time from the upload's end to 已完成 and the server's RSS;
2. runs a bounded load (default 60 s, 100 keep-alive connections) over the
   candidate list (page 1, pages on by cursor, 信息状态 and 姓名 filters) and
   the candidate detail, and prints requests, errors, p50/p99 and the
   server's peak RSS.

Loopback only: it refuses any other host. Standard library only.
"""

import argparse
import http.client
import io
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zipfile

PASSWORD = "Vslc@2026"

# Surnames and given-name characters with their pinyin (姓名拼音 is checked
# to be letters).
SURNAMES = {
    "王": "WANG", "李": "LI", "张": "ZHANG", "刘": "LIU", "陈": "CHEN", "杨": "YANG",
    "黄": "HUANG", "赵": "ZHAO", "吴": "WU", "周": "ZHOU", "徐": "XU", "孙": "SUN",
    "马": "MA", "朱": "ZHU", "胡": "HU", "郭": "GUO", "何": "HE", "高": "GAO",
    "林": "LIN", "罗": "LUO", "郑": "ZHENG", "梁": "LIANG", "谢": "XIE", "宋": "SONG",
    "唐": "TANG", "许": "XU", "韩": "HAN", "冯": "FENG", "邓": "DENG", "曹": "CAO",
    "彭": "PENG", "曾": "ZENG", "肖": "XIAO", "田": "TIAN", "董": "DONG", "潘": "PAN",
    "蒋": "JIANG", "蔡": "CAI", "余": "YU", "杜": "DU", "叶": "YE", "程": "CHENG",
    "欧阳": "OUYANG", "司马": "SIMA",
}
GIVEN = {
    "伟": "WEI", "芳": "FANG", "娜": "NA", "敏": "MIN", "静": "JING", "丽": "LI",
    "强": "QIANG", "磊": "LEI", "军": "JUN", "洋": "YANG", "勇": "YONG", "艳": "YAN",
    "杰": "JIE", "娟": "JUAN", "涛": "TAO", "明": "MING", "超": "CHAO", "秀": "XIU",
    "霞": "XIA", "平": "PING", "刚": "GANG", "桂": "GUI", "英": "YING", "华": "HUA",
    "文": "WEN", "宇": "YU", "浩": "HAO", "欣": "XIN", "梓": "ZI", "涵": "HAN",
    "子": "ZI", "轩": "XUAN", "雨": "YU", "萱": "XUAN", "思": "SI", "佳": "JIA",
    "博": "BO", "一": "YI", "诺": "NUO", "晨": "CHEN", "嘉": "JIA", "怡": "YI",
}
REGIONS = ["110101", "110105", "310104", "440305", "510104", "330106", "420102",
           "320102", "370102", "610113", "500103", "513321", "130102", "410105"]
MAJORS = ["510201 计算机应用技术", "510202 计算机网络技术", "510203 软件技术",
          "510204 数字媒体技术", "510205 大数据技术", "510206 云计算技术应用",
          "510209 人工智能技术应用", "530701 电子商务", "530302 大数据与会计",
          "520201 护理"]
PHONE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139",
                  "150", "151", "152", "155", "156", "157", "158", "159", "176",
                  "177", "180", "181", "182", "183", "185", "186", "187", "188", "189"]
HEAD = ["*姓名", "*姓名拼音", "性别", "*证件类型", "*证件号码", "*手机号", "*就读专业", "专业层次", "*入学年份"]


def id_number(rng, taken):
    """A valid 18-digit 身份证 number (GB 11643 check character)."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    while True:
        day = rng.randrange(0, 8 * 365)
        birth = time.strftime("%Y%m%d", time.gmtime(946684800 + day * 86400))
        first = f"{rng.choice(REGIONS)}{birth}{rng.randrange(0, 1000):03d}"
        check = "10X98765432"[sum(int(d) * w for d, w in zip(first, weights)) % 11]
        number = first + check
        if number not in taken:
            taken.add(number)
            return number


def person(rng):
    surname = rng.choice(list(SURNAMES))
    given = "".join(rng.choice(list(GIVEN)) for _ in range(rng.choice([1, 2, 2])))
    pinyin = " ".join([SURNAMES[surname]] + [GIVEN[c] for c in given])
    return surname + given, pinyin


def roster(rows, seed=14):
    """The roster as xlsx bytes (inline strings, one sheet)."""
    rng = random.Random(seed)
    taken = set()

    def cell(ref, text):
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'

    cols = "ABCDEFGHI"
    out = io.StringIO()
    out.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    out.write('<row r="1">' + "".join(cell(f"{c}1", h) for c, h in zip(cols, HEAD)) + "</row>")
    for r in range(2, rows + 2):
        name, pinyin = person(rng)
        values = [name, pinyin, "", "身份证", id_number(rng, taken),
                  rng.choice(PHONE_PREFIXES) + f"{rng.randrange(0, 10**8):08d}",
                  rng.choice(MAJORS), "", str(rng.choice([2022, 2023, 2024, 2025]))]
        out.write(f'<row r="{r}">' + "".join(cell(f"{c}{r}", v) for c, v in zip(cols, values)) + "</row>")
    out.write("</sheetData></worksheet>")
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>",
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="考生信息" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": out.getvalue(),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buf.getvalue()


class Client:
    """One keep-alive connection to the server."""

    def __init__(self, host, port, token=None):
        self.conn = http.client.HTTPConnection(host, port, timeout=60)
        self.token = token

    def call(self, method, path, body=None, headers=None):
        h = dict(headers or {})
        if self.token:
            h["authorization"] = f"Bearer {self.token}"
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            h["content-type"] = "application/json"
        try:
            self.conn.request(method, path, body=body, headers=h)
            r = self.conn.getresponse()
            data = r.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            raise
        return r.status, (json.loads(data) if data[:1] in (b"{", b"[") else data)


def rss_kb(pid, field="VmRSS"):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(server, data_dir):
    port = free_port()
    env = dict(os.environ, VSLC_DATA_DIR=data_dir, PORT=str(port))
    log = open(os.path.join(data_dir, "server.log"), "w")
    proc = subprocess.Popen([server], env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("the server did not start; see " + log.name)


def import_roster(host, port, token, rows, pid):
    t = time.time()
    data = roster(rows)
    print(f"roster: {rows} rows, {len(data) / 1e6:.1f} MB, generated in {time.time() - t:.1f} s")
    c = Client(host, port, token)
    status, r = c.call("POST", "/api/imports", {"type": "candidates", "fileName": "考生.xlsx",
                                                "params": {"kind": "school"}, "dryRun": False})
    assert status == 201, (status, r)
    url = urllib.parse.urlsplit(r["uploadUrl"])
    assert url.hostname in ("127.0.0.1", "localhost"), url
    up = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss_kb(pid) or 0)
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    up.request("PUT", url.path + ("?" + url.query if url.query else ""), body=data,
               headers={"content-type": r["contentType"]})
    put = up.getresponse()
    put.read()
    assert 200 <= put.status < 300, put.status
    uploaded = time.time()
    while True:
        status, rec = c.call("GET", f"/api/imports/{r['id']}")
        if rec.get("status") in ("已完成", "失败"):
            break
        time.sleep(0.02)
    took = time.time() - uploaded
    done.set()
    sampler.join()
    print(f"import through the upload URL: {rec['status']}, {rec['success']} saved, {rec['failed']} failed, "
          f"{took:.2f} s from the upload's end to {rec['status']} (polled every 20 ms), "
          f"server RSS peak during it {peak[0] / 1024:.0f} MB")
    return rec


def load(host, port, token, seconds, connections, pid):
    # Numbers to open, from the first pages.
    c = Client(host, port, token)
    _, first = c.call("GET", "/api/candidates?kind=school&pageSize=100")
    nos = [i["candidateNo"] for i in first["items"]]
    assert nos, "no candidates to load"
    surnames = list(SURNAMES)
    stop = time.time() + seconds
    lock = threading.Lock()
    stats = {"requests": 0, "errors": 0, "lat": [], "kinds": {}}
    peak = [rss_kb(pid) or 0]

    def worker(n):
        rng = random.Random(n)
        cl = Client(host, port, token)
        cursor, lat, errors, count = None, [], 0, 0
        while time.time() < stop:
            pick = rng.random()
            if pick < 0.35:
                path = "/api/candidates?kind=school&pageSize=20" + (f"&cursor={cursor}" if cursor else "")
            elif pick < 0.55:
                path = "/api/candidates?kind=school&pageSize=20&status=" + urllib.parse.quote("无照片")
            elif pick < 0.75:
                path = "/api/candidates?kind=school&pageSize=20&name=" + urllib.parse.quote(rng.choice(surnames))
            else:
                path = f"/api/candidates/{rng.choice(nos)}"
            t = time.perf_counter()
            try:
                status, body = cl.call("GET", path)
            except (http.client.HTTPException, OSError):
                status, body = 599, None
                cl = Client(host, port, token)
            lat.append(time.perf_counter() - t)
            count += 1
            if status >= 400:
                errors += 1
            elif pick < 0.35:
                cursor = body.get("nextCursor") if rng.random() < 0.9 else None
        with lock:
            stats["requests"] += count
            stats["errors"] += errors
            stats["lat"].extend(lat)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    started = time.time()
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        peak[0] = max(peak[0], rss_kb(pid) or 0)
        time.sleep(0.2)
    wall = time.time() - started
    lat = sorted(stats["lat"])
    pct = lambda p: lat[min(len(lat) - 1, int(len(lat) * p))] * 1e3
    print(f"load: {seconds} s, {connections} connections: {stats['requests']} requests "
          f"({stats['requests'] / wall:.0f}/s), {stats['errors']} errors, "
          f"p50 {pct(0.5):.1f} ms, p99 {pct(0.99):.1f} ms; server peak RSS {peak[0] / 1024:.0f} MB "
          f"(VmHWM {((rss_kb(pid, 'VmHWM') or 0) / 1024):.0f} MB over its life)")
    return stats


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--server", help="a vslc-local binary to start on a fresh data directory")
    p.add_argument("--base", help="a running server on loopback (http://127.0.0.1:PORT)")
    p.add_argument("--pid", type=int, help="the running server's pid, for its RSS")
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--seconds", type=int, default=60, help="0: the import only")
    p.add_argument("--connections", type=int, default=100)
    a = p.parse_args()
    proc = None
    with tempfile.TemporaryDirectory() as data_dir:
        if a.server:
            proc, port = start(a.server, data_dir)
            host, pid = "127.0.0.1", proc.pid
        elif a.base:
            u = urllib.parse.urlsplit(a.base)
            if u.hostname not in ("127.0.0.1", "localhost", "::1"):
                sys.exit("loopback only: " + a.base)
            host, port, pid = u.hostname, u.port or 80, a.pid
        else:
            sys.exit("give --server or --base")
        try:
            c = Client(host, port)
            status, r = c.call("POST", "/api/auth/login", {"account": "school-admin", "password": PASSWORD})
            assert status == 200, (status, r)
            token = r["token"]
            stats = {"errors": 0}
            if a.rows:
                rec = import_roster(host, port, token, a.rows, pid)
                stats["errors"] += int(rec["status"] != "已完成")
            if a.seconds > 0:
                stats["errors"] += load(host, port, token, a.seconds, a.connections, pid)["errors"]
        finally:
            if proc:
                proc.terminate()
                proc.wait(10)
    sys.exit(1 if stats["errors"] else 0)


if __name__ == "__main__":
    main()
