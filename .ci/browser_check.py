#!/usr/bin/python3
"""The real-browser check of `make test`.

Starts `chuqing serve` on a free loopback port with a fresh SQLite database and the demo logins,
then drives headless Chromium (Debian's chromium + chromium-driver, through python3-selenium):
the login page renders, a wrong password is refused with a message, a judge logs in and finds the
judge's navigation, on a 360-px phone screen and on a desktop; the director approves and publishes
the waiting credit-repair issue with the list page's buttons; anyone opens the published notices,
tips the court off about a person shown, opens the print view and the Atom feed, and no full ID
number appears in any of them; a township liaison on a 360×640 phone sends a lead with a photo,
then another with the network cut, which waits on the phone and is sent once when it returns; the
director answers the overdue lead, reads the network's figures and a debtor's portrait; a judge looks a
debtor's assets up, records a measure on a finding, opens the applicant's notice and records that
the applicant was told, and the director finds it in the look-up log; the admin loads an extract
file and re-times a data category. Screenshots go to
artifacts/browser/ (not committed). Prints 'browser: N passed, N failed'.
"""
import base64
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

# A 1×1 PNG, for the photo upload.
PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "debug", "chuqing")
ARTIFACTS = os.path.join(ROOT, "artifacts", "browser")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server():
    workdir = tempfile.mkdtemp(prefix="chuqing-browser-")
    env = dict(os.environ, DATABASE_URL="sqlite:" + os.path.join(workdir, "browser.sqlite"))
    env.pop("CHUQING_TEST_POSTGRES_URL", None)
    subprocess.run([BIN, "migrate"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([BIN, "demo", "load"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    # The simulated data exchange the asset look-ups ask (税务 fails, to show a failure).
    exchange_port = free_port()
    exchange = subprocess.Popen([BIN, "exchange-sim", "--port", str(exchange_port), "--default-latency", "300", "--failure-rate", "tax=1"],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env["CHUQING_EXCHANGE_URL"] = "http://127.0.0.1:%d" % exchange_port
    # The simulated SMS gateway the reminders go out through (the demo judge has a mobile number).
    gateway_port = free_port()
    gateway = subprocess.Popen([BIN, "gateway-sim", "--port", str(gateway_port)], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env["CHUQING_SMS_URL"] = "http://127.0.0.1:%d/messages" % gateway_port
    env["CHUQING_SMS_SIGNATURE"] = "兴国县人民法院"
    port = free_port()
    log = open(os.path.join(workdir, "serve.log"), "w")
    server = subprocess.Popen([BIN, "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log)
    server.exchange = exchange
    server.gateway = gateway
    base = "http://127.0.0.1:%d" % port
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=1) as answer:
                if answer.status == 200:
                    return server, base, workdir
        except OSError:
            time.sleep(0.2)
    server.kill()
    exchange.kill()
    gateway.kill()
    raise RuntimeError("chuqing serve did not become ready; see " + log.name)


def browser(width, height):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--no-first-run", "--disable-extensions", "--window-size=%d,%d" % (width, height)):
        options.add_argument(flag)
    if width < 500:
        # Headless windows are at least 500px wide: emulate the phone's viewport instead.
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2}})
    # Starting Chromium is what fails now and then on a loaded machine (an empty
    # WebDriverException at session creation): try again before calling the check failed.
    for attempt in range(3):
        try:
            return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        except WebDriverException:
            if attempt == 2:
                raise
            time.sleep(2)


def check_login_as_judge(base, width, height, label):
    driver = browser(width, height)
    try:
        wait = patient(driver, 10)
        driver.get(base + "/")
        # Not logged in: the home page sends the browser to the login form.
        wait.until(EC.presence_of_element_located((By.ID, "username")))
        assert "/login" in driver.current_url, driver.current_url
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
        driver.save_screenshot(os.path.join(ARTIFACTS, "login-%s.png" % label))

        # A wrong password is refused with a message on the page.
        driver.find_element(By.ID, "username").send_keys("judge")
        driver.find_element(By.ID, "password").send_keys("not-the-password")
        driver.find_element(By.CSS_SELECTOR, "button.primary").click()
        flash = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash.flash-error")))
        assert "用户名或密码错误" in flash.text, flash.text

        # The judge logs in and finds the judge's navigation.
        field = driver.find_element(By.ID, "username")
        field.clear()
        field.send_keys("judge")
        driver.find_element(By.ID, "password").send_keys("judge-demo-2026")
        driver.find_element(By.CSS_SELECTOR, "button.primary").click()
        nav = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "nav.main-nav[data-role='judge']")))
        labels = [a.text for a in nav.find_elements(By.TAG_NAME, "a")]
        assert labels == ["首页", "案件查询", "出清批次", "专项组", "导入案件", "失信名单", "线索核实", "乡镇网络", "到期事项", "修改密码"], labels
        assert "用户管理" not in driver.page_source
        assert "李法官" in driver.find_element(By.CSS_SELECTOR, ".user-name").text
        # Nothing wider than the screen: no sideways scrolling on a phone.
        assert driver.execute_script("return window.innerWidth") == width
        overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, "page is %dpx wider than the window" % overflow
        driver.save_screenshot(os.path.join(ARTIFACTS, "judge-home-%s.png" % label))

        # The judge's cases: the demo judge 李法官 has 80 of the 400 demo cases.
        nav.find_element(By.LINK_TEXT, "案件查询").click()
        first = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.cases tbody a")))
        rows = driver.find_elements(By.CSS_SELECTOR, "table.cases tbody tr")
        assert len(rows) == 50, len(rows)  # first page
        assert all("李法官" in row.text for row in rows), "a case of another judge is listed"
        driver.save_screenshot(os.path.join(ARTIFACTS, "judge-cases-%s.png" % label))
        # a 终本 case, which has something left to pay (a payment above that is refused)
        Select(driver.find_element(By.NAME, "status")).select_by_value("terminatedThisRound")
        driver.find_element(By.CSS_SELECTOR, "form.filters button.primary").click()
        wait.until(EC.url_contains("status=terminatedThisRound"))
        first = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.cases tbody a")))
        number = first.text
        first.click()
        heading = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "h1.case-number")))
        assert heading.text == number, (heading.text, number)
        assert "未履行" in driver.page_source
        driver.save_screenshot(os.path.join(ARTIFACTS, "judge-case-%s.png" % label))

        # The payment form: a mistyped amount is refused with the value; a good one is recorded.
        overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, "case page is %dpx wider than the window" % overflow
        form = driver.find_element(By.CSS_SELECTOR, "#payment form")
        form.find_element(By.NAME, "amount").send_keys("1,000.0x")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        flash = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash.flash-error")))
        assert "1,000.0x" in flash.text, flash.text
        form = driver.find_element(By.CSS_SELECTOR, "#payment form")
        amount = form.find_element(By.NAME, "amount")
        assert amount.get_attribute("value") == "1,000.0x"  # what was typed is kept
        amount.clear()
        amount.send_keys("1,000.00")
        Select(form.find_element(By.NAME, "method")).select_by_visible_text("扣划")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        flash = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash.flash-success")))
        assert "已登记履行款项" in flash.text, flash.text
        payments = driver.find_element(By.XPATH, "//h2[text()='履行记录']/following::table[1]").text
        assert "¥1,000.00" in payments and "扣划" in payments, payments
        driver.save_screenshot(os.path.join(ARTIFACTS, "judge-payment-%s.png" % label))

        # …and the debtor's page, with every case of that debtor.
        debtor = driver.find_element(By.XPATH, "//h2[text()='被执行人']/following::table[1]//tbody//a")
        name = debtor.text
        debtor.click()
        title = wait.until(EC.presence_of_element_located((By.TAG_NAME, "h1")))
        assert title.text == name, (title.text, name)
        assert number in driver.find_element(By.CSS_SELECTOR, "table.cases").text
        assert driver.find_elements(By.CSS_SELECTOR, "#payments") and driver.find_elements(By.CSS_SELECTOR, "#history li"), "no payments or history"
        driver.save_screenshot(os.path.join(ARTIFACTS, "judge-debtor-%s.png" % label))

        # The judge uploads the debtor's photo; the page then shows it.
        photo = os.path.join(tempfile.gettempdir(), "chuqing-browser-photo.png")
        with open(photo, "wb") as out:
            out.write(base64.b64decode(PNG_1X1))
        driver.find_element(By.CSS_SELECTOR, "#photo input[type=file]").send_keys(photo)
        driver.find_element(By.CSS_SELECTOR, "#photo button[type=submit]").click()
        flash = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash.flash-success")))
        assert "已上传照片" in flash.text, flash.text
        image = driver.find_element(By.CSS_SELECTOR, "img.debtor-photo")
        assert driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image) == 1

        # The import page: the sample export, with its two rejected rows listed.
        driver.find_element(By.CSS_SELECTOR, "nav").find_element(By.LINK_TEXT, "导入案件").click()
        upload = wait.until(EC.presence_of_element_located((By.ID, "file")))
        upload.send_keys(os.path.join(ROOT, "Tests", "Fixtures", "sample-case-export.csv"))
        driver.find_element(By.NAME, "dryRun").click()
        driver.find_element(By.CSS_SELECTOR, "form[enctype] button[type=submit]").click()
        report = wait.until(EC.presence_of_element_located((By.ID, "report")))
        assert "读取" in report.text and "11 行" in report.text, report.text
        rows = [row.text for row in driver.find_elements(By.CSS_SELECTOR, "ol.rejections li")]
        assert any(row.startswith("第 9 行 · 证件号码") and "360732198506302420" in row for row in rows), rows
        assert any(row.startswith("第 12 行") for row in rows), rows
        overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, "import page is %dpx wider than the window" % overflow
        driver.save_screenshot(os.path.join(ARTIFACTS, "judge-import-%s.png" % label))
    finally:
        driver.quit()


def check_judge_lookup(base, width, height, label):
    """The judge opens a case, starts an asset look-up over every category, and watches the
    categories fill in (the page reloads itself) until the look-up is complete."""
    driver = browser(width, height)
    wait = patient(driver, 10)
    try:
        log_in(driver, base, "judge", "judge-demo-2026")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "nav")))
        # A case terminated this round: only a case still enforced is looked up.
        driver.get(base + "/cases?status=terminatedThisRound")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.cases tbody a"))).click()
        wait.until(EC.presence_of_element_located((By.ID, "lookups-link"))).click()
        form = wait.until(EC.presence_of_element_located((By.ID, "lookup-form")))
        assert len(form.find_elements(By.CSS_SELECTOR, "input[type=checkbox]:checked")) == 13
        assert_fits(driver, "the look-up form")
        # a look-up cannot be taken back: the browser holds the form until its box is ticked
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        assert driver.execute_script("return arguments[0].checkValidity()", form) is False
        form.find_element(By.NAME, "confirmed").click()
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(EC.presence_of_element_located((By.ID, "lookup-status")))
        first = driver.find_element(By.ID, "lookup-summary").text
        driver.save_screenshot(os.path.join(ARTIFACTS, "judge-lookup-running-%s.png" % label))
        patient(driver, 30).until(EC.text_to_be_present_in_element((By.ID, "lookup-status"), "已完成"))
        cards = driver.find_elements(By.CSS_SELECTOR, "li.category")
        assert len(cards) == 13, len(cards)
        statuses = [card.get_attribute("data-status") for card in cards]
        assert statuses.count("failed") == 1 and statuses.count("answered") == 12, statuses
        assert "13/13 类已结束" in driver.find_element(By.ID, "lookup-summary").text, first
        assert driver.find_elements(By.XPATH, "//button[text()='重新查询此类别']"), "no retry button for the failed category"
        assert_fits(driver, "the look-up page")
        driver.save_screenshot(os.path.join(ARTIFACTS, "judge-lookup-done-%s.png" % label))
        # A measure on something found: the form offers only the measures that fit it.
        finding = driver.find_element(By.XPATH, "//div[@class='finding'][.//form[contains(@class,'measure-form')]]")
        finding.find_element(By.TAG_NAME, "summary").click()
        form = finding.find_element(By.CSS_SELECTOR, "form.measure-form")
        offered = [option.text for option in form.find_elements(By.CSS_SELECTOR, "select[name=kind] option")]
        assert offered and set(offered) <= {"查封", "扣押", "冻结", "扣划"}, offered
        form.find_element(By.NAME, "documentNumber").send_keys("（2026）赣0732执恢1号之一")
        assert_fits(driver, "the measure form")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "p.measure"), "（2026）赣0732执恢1号之一"))
        # The applicant's notice, then recording that the applicant was told.
        driver.find_element(By.ID, "lookup-notice").click()
        wait.until(EC.presence_of_element_located((By.TAG_NAME, "h1")))
        notice = driver.find_element(By.TAG_NAME, "body").text
        assert "财产查询结果告知书" in notice and "申请恢复执行" in notice and "未能查询" in notice, notice
        assert not re.search(r"\d{6}(19|20)\d{9}[\dX]", notice), "an ID number in the notice"
        assert_fits(driver, "the applicant's notice")
        driver.save_screenshot(os.path.join(ARTIFACTS, "lookup-notice-%s.png" % label))
        driver.back()
        told = wait.until(EC.presence_of_element_located((By.ID, "told-form")))
        told.find_element(By.ID, "told-how").send_keys("短信")
        told.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "lookup-told"), "短信"))
    finally:
        driver.quit()


def check_director_lookup_log(base, width, height, label):
    """The director searches the look-up log for the judge's look-ups and opens one: who asked,
    on what basis, the result, and that the applicant was told."""
    driver = browser(width, height)
    wait = patient(driver, 10)
    try:
        log_in_as_director(driver, base)
        wait.until(EC.presence_of_element_located((By.LINK_TEXT, "查询日志"))).click()
        form = wait.until(EC.presence_of_element_located((By.ID, "lookup-log-form")))
        form.find_element(By.NAME, "operator").send_keys("judge")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(EC.url_contains("operator=judge"))
        table = wait.until(EC.presence_of_element_located((By.ID, "lookup-log")))
        rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
        assert len(rows) == 1 and "12/13 类答复" in rows[0].text, [row.text for row in rows]
        assert "财产调查" in rows[0].text and re.search(r"20\d\d-\d\d-\d\d", rows[0].text), rows[0].text
        assert "****" in rows[0].text, "the ID number is masked in the log"
        driver.save_screenshot(os.path.join(ARTIFACTS, "director-lookup-log-%s.png" % label))
        rows[0].find_element(By.TAG_NAME, "a").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "lookup-told"), "短信"))
        assert_fits(driver, "the look-up page (director)")
    finally:
        driver.quit()


def check_admin_catalogue(base, width, height, label):
    """The admin opens the data categories, loads a department's extract file for 公共资源交易 (the
    demo answers it from one) and re-times 车辆登记, on the screen alone."""
    driver = browser(width, height)
    wait = patient(driver, 10)
    extract = os.path.join(tempfile.mkdtemp(prefix="chuqing-extract-"), "公共资源交易中心-应付款.csv")
    with open(extract, "w", encoding="utf-8") as out:
        out.write("证件号码,姓名或名称,财产种类,描述,标识,价值（元）\n36073219830415009X,钟某林,应收政府款项,道路工程尾款,XGCG-9,1200.50\n")
    try:
        log_in(driver, base, "admin", "admin-demo-2026")
        wait.until(EC.presence_of_element_located((By.LINK_TEXT, "数据类别"))).click()
        cards = wait.until(EC.presence_of_element_located((By.ID, "data-categories"))).find_elements(By.CSS_SELECTOR, "li.card")
        assert len(cards) == 13, len(cards)
        card = driver.find_element(By.CSS_SELECTOR, "li[data-code=publicResources]")
        card.find_element(By.TAG_NAME, "summary").click()
        assert "演示.csv：10 行" in card.text, card.text
        form = card.find_element(By.CSS_SELECTOR, "form.snapshot-form")
        form.find_element(By.NAME, "file").send_keys(extract)
        assert_fits(driver, "the data categories")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "已导入数据提取文件：1 行"))
        card = driver.find_element(By.CSS_SELECTOR, "li[data-code=vehicles]")
        card.find_element(By.TAG_NAME, "summary").click()
        field = card.find_element(By.NAME, "timeoutMilliseconds")
        field.clear()
        field.send_keys("8000")
        card.find_element(By.CSS_SELECTOR, "form.category-form button[type=submit]").click()
        wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "已保存数据类别「车辆登记」"))
        assert "8000 毫秒" in driver.find_element(By.CSS_SELECTOR, "li[data-code=vehicles] summary").text
        driver.save_screenshot(os.path.join(ARTIFACTS, "admin-catalogue-%s.png" % label))
    finally:
        driver.quit()
        shutil.rmtree(os.path.dirname(extract), ignore_errors=True)


def log_in_as_director(driver, base):
    driver.get(base + "/login")
    driver.find_element(By.ID, "username").send_keys("director")
    driver.find_element(By.ID, "password").send_keys("director-demo-2026")
    driver.find_element(By.CSS_SELECTOR, "button.primary").click()


def check_director_batch(base, width, height, label):
    """The director opens the first batch: figures, both charts drawn, the bulletin one click away."""
    driver = browser(width, height)
    wait = patient(driver, 10)
    try:
        log_in_as_director(driver, base)
        nav = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "nav")))
        nav.find_element(By.LINK_TEXT, "出清批次").click()
        # Issue 16 item 17: a deadline before the start is refused beside the deadline, marked.
        name = wait.until(EC.presence_of_element_located((By.NAME, "name")))
        name.send_keys("试填批次")
        for field, value in (("startsOn", "2026-03-01"), ("deadline", "2026-02-01")):
            driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.NAME, field), value)
        driver.find_element(By.NAME, "targetCases").send_keys("5")
        name.submit()
        beside = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "span.field-error")))
        assert "早于开始日期" in beside.text, beside.text
        assert driver.find_element(By.NAME, "deadline").get_attribute("aria-invalid") == "true"
        assert driver.find_element(By.NAME, "name").get_attribute("value") == "试填批次"
        driver.execute_script("arguments[0].scrollIntoView()", beside)
        assert_fits(driver, "the refused batch form")
        driver.save_screenshot(os.path.join(ARTIFACTS, "director-field-error-%s.png" % label))
        driver.find_element(By.CSS_SELECTOR, "nav").find_element(By.LINK_TEXT, "出清批次").click()
        wait.until(EC.presence_of_element_located((By.LINK_TEXT, "第一批任务"))).click()
        heading = wait.until(EC.presence_of_element_located((By.TAG_NAME, "h1")))
        assert heading.text == "第一批任务", heading.text
        facts = driver.find_element(By.CSS_SELECTOR, "dl.facts").text
        assert "已出清 / 目标" in facts and "/ 120 件" in facts, facts
        charts = driver.find_elements(By.CSS_SELECTOR, "svg.chart")
        assert len(charts) == 2, len(charts)
        for chart in charts:
            size = chart.size
            assert size["width"] > 200 and size["height"] > 50, size
        assert driver.find_elements(By.CSS_SELECTOR, "svg.chart polyline.actual"), "no burn-up line"
        overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, "batch page is %dpx wider than the window" % overflow
        driver.save_screenshot(os.path.join(ARTIFACTS, "director-batch-%s.png" % label))
        # Drill down from a township to its open cases.
        batch_url = driver.current_url
        driver.find_element(By.CSS_SELECTOR, "#by-township tbody a").click()
        heading = wait.until(EC.presence_of_element_located((By.TAG_NAME, "h1")))
        assert "未出清案件" in heading.text, heading.text
        assert driver.find_elements(By.CSS_SELECTOR, "#open-cases tbody td a"), "no open case listed"
        assert driver.find_elements(By.LINK_TEXT, "导出 Excel")
        assert_fits(driver, "the open cases")
        driver.save_screenshot(os.path.join(ARTIFACTS, "director-open-cases-%s.png" % label))
        # The audit log, filtered to logins, in Chinese with names.
        driver.get(base + "/audit")
        Select(wait.until(EC.presence_of_element_located((By.NAME, "action")))).select_by_visible_text("登录")
        driver.find_element(By.CSS_SELECTOR, "#audit-filter button").click()
        wait.until(lambda d: "action=session.login" in d.current_url)
        cells = [cell.text for cell in wait.until(EC.presence_of_all_elements_located((By.CSS_SELECTOR, "tbody td:nth-child(3)")))]
        assert cells and all(cell == "登录" for cell in cells), cells
        assert_fits(driver, "the audit log")
        driver.save_screenshot(os.path.join(ARTIFACTS, "director-audit-%s.png" % label))
        driver.get(batch_url)
        driver.find_element(By.CSS_SELECTOR, "nav").find_element(By.LINK_TEXT, "失信名单").click()
        title = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#due h1")))
        assert title.text == "失信名单", title.text
        overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, "blacklist page is %dpx wider than the window" % overflow
        driver.save_screenshot(os.path.join(ARTIFACTS, "director-blacklist-%s.png" % label))
        driver.back()
        driver.find_element(By.LINK_TEXT, "工作通报").click()
        lead = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.lead")))
        assert lead.text.startswith("截至") and "第一批任务出清案件" in lead.text and "万元" in lead.text, lead.text
        driver.save_screenshot(os.path.join(ARTIFACTS, "director-bulletin-%s.png" % label))
    finally:
        driver.quit()


# A full citizen ID number: 17 digits and a check character. Published pages show only the masked
# form (3607321978****131X), never this.
FULL_ID = re.compile(r"(?<![0-9A-Za-z-])[1-9][0-9]{16}[0-9X](?![0-9A-Za-z-])")


def assert_no_full_id(driver, what):
    for text in (driver.find_element(By.TAG_NAME, "body").text, driver.page_source):
        found = FULL_ID.search(text)
        assert found is None, "%s shows a full ID number: %s" % (what, found.group(0))


def check_director_publishes_credit_repair(base, width, height, label):
    """The demo leaves a credit-repair issue waiting: the director approves, then publishes it."""
    driver = browser(width, height)
    wait = patient(driver, 10)
    try:
        log_in_as_director(driver, base)
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "nav"))).find_element(By.LINK_TEXT, "失信名单").click()
        issues = wait.until(EC.presence_of_element_located((By.ID, "issues")))
        assert "信用修复公告" in issues.text and "待审批" in issues.text, issues.text
        approve = issues.find_element(By.XPATH, ".//button[text()='审批']/..")
        approve.find_element(By.NAME, "confirmed").click()
        approve.find_element(By.TAG_NAME, "button").click()
        # Each click loads a new page: wait for its message, not the old page's (which goes stale).
        wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "已审批"))
        publish = driver.find_element(By.ID, "issues").find_element(By.XPATH, ".//button[text()='发布']/..")
        publish.find_element(By.NAME, "confirmed").click()
        publish.find_element(By.TAG_NAME, "button").click()
        wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "已发布"))
        assert "兴国县人民法院信用修复公告（2026年第1期）" in driver.find_element(By.ID, "issues").text
        driver.save_screenshot(os.path.join(ARTIFACTS, "director-published-%s.png" % label))
    finally:
        driver.quit()


def check_public_notices(base, width, height, label):
    """Anyone, not logged in: the list, an exposure issue, its print view and the feed."""
    driver = browser(width, height)
    wait = patient(driver, 10)
    try:
        driver.get(base + "/notices")
        issues = wait.until(EC.presence_of_element_located((By.ID, "issues")))
        assert "信用修复公告（2026年第1期）" in issues.text, issues.text
        issues.find_element(By.PARTIAL_LINK_TEXT, "失信被执行人曝光公告").click()
        heading = wait.until(EC.presence_of_element_located((By.TAG_NAME, "h1")))
        assert "失信被执行人曝光公告" in heading.text, heading.text
        people = driver.find_elements(By.CSS_SELECTOR, "li.person")
        assert len(people) >= 5, len(people)
        assert "身份证号码" in people[0].text and "****" in people[0].text, people[0].text
        removed = driver.find_elements(By.CSS_SELECTOR, "li.removed")
        assert len(removed) == 1 and removed[0].text == "该信息已依法删除", [r.text for r in removed]
        assert "举报电话" in driver.find_element(By.CSS_SELECTOR, "p.tipoff").text
        assert_no_full_id(driver, "the issue page")
        overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, "the issue page is %dpx wider than the window" % overflow
        driver.save_screenshot(os.path.join(ARTIFACTS, "public-issue-%s.png" % label))
        print_url = driver.find_element(By.LINK_TEXT, "打印版").get_attribute("href")
        # A reader tips the court off about the first person shown, without logging in.
        people[0].find_element(By.LINK_TEXT, "举报此人线索").click()
        subject = wait.until(EC.presence_of_element_located((By.ID, "subject")))
        assert "（" in subject.text, subject.text
        driver.find_element(By.ID, "text").send_keys("他在县城开了一家建材店")
        driver.find_element(By.ID, "place").send_keys("潋江镇")
        overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, "the tip form is %dpx wider than the window" % overflow
        driver.save_screenshot(os.path.join(ARTIFACTS, "public-tip-%s.png" % label))
        driver.find_element(By.CSS_SELECTOR, "#tip-form button[type=submit]").click()
        received = wait.until(EC.presence_of_element_located((By.ID, "received")))
        assert "已收到您的举报" in received.text, received.text
        driver.get(print_url)
        table = wait.until(EC.presence_of_element_located((By.TAG_NAME, "table")))
        assert "执行案号" in table.text and "该信息已依法删除" in table.text, table.text[:200]
        assert_no_full_id(driver, "the print view")
        driver.save_screenshot(os.path.join(ARTIFACTS, "public-print-%s.png" % label))
        driver.get(base + "/notices/feed.atom")
        wait.until(lambda d: "曝光公告" in d.page_source)
        assert "<feed" in driver.page_source or "feed" in driver.page_source
        assert "信用修复公告（2026年第1期）" in driver.page_source
        assert_no_full_id(driver, "the feed")
        driver.save_screenshot(os.path.join(ARTIFACTS, "public-feed-%s.png" % label))
    finally:
        driver.quit()


def log_in(driver, base, username, password):
    driver.get(base + "/login")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "button.primary").click()


def patient(driver, seconds):
    """A wait that reads the page again when it changed under it: an element found just before a
    navigation is gone a moment later (a stale element, or Chromium's "node does not belong to
    the document"), which is not a failure of the page."""
    return WebDriverWait(driver, seconds, ignored_exceptions=(StaleElementReferenceException, WebDriverException))


def assert_fits(driver, what):
    overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "%s is %dpx wider than the window" % (what, overflow)


def my_leads_with(driver, base, text):
    """How many of the liaison's leads (the server's list) say `text`."""
    driver.get(base + "/liaison/leads")
    patient(driver, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "ul.leads")))
    return sum(1 for item in driver.find_elements(By.CSS_SELECTOR, "li.lead") if text in item.text)


def check_liaison_lead(base, width, height, label):
    """A liaison on a phone: the township's list, a debtor, a lead with a photo; then the same with
    the network cut before sending: the lead waits on the phone and is sent, once, when it is back."""
    driver = browser(width, height)
    wait = patient(driver, 10)
    try:
        log_in(driver, base, "liaison", "liaison-demo-2026")
        nav = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "nav.main-nav[data-role='liaison']")))
        labels = [a.text for a in nav.find_elements(By.TAG_NAME, "a")]
        assert labels == ["首页", "查找名单", "我的线索", "乡镇网络", "修改密码"], labels
        nav.find_element(By.LINK_TEXT, "查找名单").click()
        people = wait.until(EC.presence_of_all_elements_located((By.CSS_SELECTOR, "li.person")))
        assert len(people) >= 3, len(people)
        assert any("法官指派查找" in person.text for person in people), "the assigned debtor is not listed"
        assert any("tel:" in a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "li.person a[href^='tel:']"))
        assert_no_full_id(driver, "the liaison's list")
        assert_fits(driver, "the liaison's list")
        driver.save_screenshot(os.path.join(ARTIFACTS, "liaison-list-%s.png" % label))
        people[-1].find_element(By.CSS_SELECTOR, "h2 a").click()
        form = wait.until(EC.presence_of_element_located((By.ID, "lead-form")))
        debtor_url = driver.current_url
        assert_fits(driver, "the debtor page")

        # Online: a lead with a photo.
        photo = os.path.join(tempfile.gettempdir(), "chuqing-browser-lead.png")
        with open(photo, "wb") as out:
            out.write(base64.b64decode(PNG_1X1))
        Select(form.find_element(By.NAME, "kind")).select_by_visible_text("财产：车辆")
        form.find_element(By.NAME, "text").send_keys("浏览器检查：门口停着一辆蓝色三轮车")
        form.find_element(By.NAME, "place").send_keys("下村二组")
        form.find_element(By.NAME, "photo1").send_keys(photo)
        driver.save_screenshot(os.path.join(ARTIFACTS, "liaison-lead-form-%s.png" % label))
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "线索已发送"))
        mine = driver.find_element(By.ID, "my-leads").text
        assert "浏览器检查：门口停着一辆蓝色三轮车" in mine and "照片 1 张" in mine and "待核实" in mine, mine
        driver.save_screenshot(os.path.join(ARTIFACTS, "liaison-lead-sent-%s.png" % label))

        # Offline: the lead is kept on the phone, listed as waiting, and sent when the network is back.
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                               {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        patient(driver, 10).until(lambda d: d.execute_script("return navigator.onLine") is False)
        form = driver.find_element(By.ID, "lead-form")
        form.find_element(By.NAME, "text").send_keys("浏览器检查：断网时写的线索，他在镇上卖菜")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        pending = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#outbox li.pending")))
        assert "待发送" in pending.text and "断网时写的线索" in pending.text, pending.text
        assert "没有网络" in driver.find_element(By.ID, "connection").text
        assert driver.find_element(By.ID, "lead-form").find_element(By.NAME, "text").get_attribute("value") == ""
        driver.save_screenshot(os.path.join(ARTIFACTS, "liaison-lead-offline-%s.png" % label))
        time.sleep(1)  # still offline: nothing may have reached the server
        driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                               {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        # The flash of the first lead says 线索已发送 already: wait for the outbox itself to empty
        # (on a loaded machine the resend takes a moment).
        patient(driver, 20).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "#outbox li.pending"))
        wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "线索已发送"))
        assert "断网时写的线索" in driver.find_element(By.ID, "my-leads").text
        driver.save_screenshot(os.path.join(ARTIFACTS, "liaison-lead-back-online-%s.png" % label))
        # Opening the page again sends nothing twice.
        driver.get(debtor_url)
        wait.until(EC.presence_of_element_located((By.ID, "lead-form")))
        time.sleep(1)
        assert my_leads_with(driver, base, "断网时写的线索") == 1
        assert my_leads_with(driver, base, "门口停着一辆蓝色三轮车") == 1
        assert_fits(driver, "my leads")
        driver.save_screenshot(os.path.join(ARTIFACTS, "liaison-my-leads-%s.png" % label))
    finally:
        driver.quit()


def check_director_triage(base, width, height, label):
    """The director's queue: the overdue lead flagged; one answered with the page's form; the
    network's figures; the portrait on a debtor's page."""
    driver = browser(width, height)
    wait = patient(driver, 10)
    try:
        log_in_as_director(driver, base)
        glance = wait.until(EC.presence_of_element_located((By.ID, "leads")))
        assert "线索待核实" in glance.text and "其中超期 1 条" in glance.text, glance.text
        driver.find_element(By.CSS_SELECTOR, "nav").find_element(By.LINK_TEXT, "线索核实").click()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "ul.queue")))
        overdue = driver.find_elements(By.CSS_SELECTOR, "li.lead.overdue")
        assert overdue and "已超期" in overdue[0].text, [o.text for o in overdue]
        assert int(driver.find_element(By.ID, "overdue-count").text) >= 1
        assert_fits(driver, "the queue")
        driver.save_screenshot(os.path.join(ARTIFACTS, "director-queue-%s.png" % label))
        item = overdue[0]
        item.find_element(By.NAME, "reply").send_keys("已查封该货车")
        item.find_element(By.XPATH, ".//button[text()='已核实']").click()
        wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "已更新线索状态"))
        driver.find_element(By.CSS_SELECTOR, "nav").find_element(By.LINK_TEXT, "乡镇网络").click()
        table = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.townships")))
        assert "高兴镇" in table.text
        table.find_element(By.LINK_TEXT, "高兴镇").click()
        members = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.members")))
        assert "曾联络员" in members.text and "协助执行员" in members.text, members.text
        assert_fits(driver, "the township page")
        driver.save_screenshot(os.path.join(ARTIFACTS, "director-network-%s.png" % label))
        driver.get(base + "/leads?all=1")
        links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "li.lead h2 a")]
        for link in links:
            driver.get(link)
            if driver.find_elements(By.CSS_SELECTOR, "dl.portrait dt"):
                break
        portrait = driver.find_element(By.CSS_SELECTOR, "dl.portrait").text
        assert "行踪" in portrait and "在县城建材市场务工" in portrait, portrait
        assert_fits(driver, "the debtor page")
        driver.save_screenshot(os.path.join(ARTIFACTS, "director-portrait-%s.png" % label))
    finally:
        driver.quit()


def check_judge_deadlines(base, width, height, label):
    """Issue 17: the judge's home page shows the demo's overdue lead under 已逾期; it opens the lead
    in the queue; the full list pages; the inbox has the scheduler's reminder of it, which opens
    the lead too and is then read."""
    driver = browser(width, height)
    wait = patient(driver, 10)
    try:
        log_in(driver, base, "judge", "judge-demo-2026")
        group = wait.until(EC.presence_of_element_located((By.ID, "home-overdue")))
        assert "已逾期" in group.text and "线索核实" in group.text, group.text
        count = int(group.find_element(By.CSS_SELECTOR, "h3 strong").text)
        assert count >= 1, group.text
        assert driver.find_element(By.ID, "home-today") and driver.find_element(By.ID, "home-soon")
        assert_fits(driver, "the home page")
        driver.save_screenshot(os.path.join(ARTIFACTS, "judge-deadlines-home-%s.png" % label))
        # the reminder is waiting: the badge in the header counts it
        badge = driver.find_element(By.ID, "unread-badge")
        assert int(badge.text) >= 1, badge.text
        # open the overdue lead from the home page's list: the queue, at that lead
        # (the demo's overdue official push may sort before it, by the day it fell due)
        links = [a for a in group.find_elements(By.CSS_SELECTOR, "li.overdue a") if "/leads#lead-" in (a.get_attribute("href") or "")]
        assert links, group.text
        link = links[0]
        target = link.get_attribute("href")
        link.click()
        anchor = target.split("#", 1)[1]
        lead = wait.until(EC.presence_of_element_located((By.ID, anchor)))
        assert "已超期" in lead.text and "货车" in lead.text, lead.text
        driver.save_screenshot(os.path.join(ARTIFACTS, "judge-deadlines-lead-%s.png" % label))
        # the complete list of overdue deadlines
        driver.get(base + "/")
        wait.until(EC.presence_of_element_located((By.ID, "home-overdue"))).find_element(By.CSS_SELECTOR, "h3 a").click()
        total = wait.until(EC.presence_of_element_located((By.ID, "total")))
        assert ("共 %d 件" % count) in total.text, total.text
        assert_fits(driver, "the deadlines list")
        # the inbox: the reminder of the overdue lead, unread; opening it goes to the lead
        driver.find_element(By.ID, "inbox-link").click()
        unread = int(wait.until(EC.presence_of_element_located((By.ID, "unread-count"))).text)
        reminder = [li for li in driver.find_elements(By.CSS_SELECTOR, "li.reminder") if "线索核实已逾期" in li.text]
        assert reminder, driver.find_element(By.TAG_NAME, "main").text
        assert "货车" in reminder[0].text or "应于" in reminder[0].text, reminder[0].text
        assert_fits(driver, "the inbox")
        driver.save_screenshot(os.path.join(ARTIFACTS, "judge-inbox-%s.png" % label))
        was_unread = "unread" in reminder[0].get_attribute("class").split()
        reminder[0].find_element(By.CSS_SELECTOR, "button, a").click()
        wait.until(EC.presence_of_element_located((By.ID, anchor)))
        driver.find_element(By.ID, "inbox-link").click()
        after = int(wait.until(EC.presence_of_element_located((By.ID, "unread-count"))).text)
        # read once opened (the phone run opens it first; the desktop run finds it read)
        assert after == unread - (1 if was_unread else 0), (unread, after, was_unread)
    finally:
        driver.quit()


def check_admin_jobs(base, width, height, label):
    """Issue 17 item 5: the admin's 定时任务 page: each daily job with its next run, the calendar's
    end announced, the jobs by state, and the reminders sent through the (simulated) SMS gateway
    with the numbers masked."""
    driver = browser(width, height)
    wait = patient(driver, 10)
    try:
        log_in(driver, base, "admin", "admin-demo-2026")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "nav"))).find_element(By.LINK_TEXT, "定时任务").click()
        daily = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.daily-jobs")))
        rows = daily.find_elements(By.CSS_SELECTOR, "tbody tr")
        assert len(rows) == 9, daily.text
        assert all(re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", row.text) for row in rows), daily.text
        calendar = driver.find_element(By.ID, "calendar").text
        assert "2026-12-31" in calendar and "working-days.csv" in calendar, calendar
        outbox = driver.find_element(By.ID, "outbox").text
        assert "短信网关" in outbox and "138****0001" in outbox and "已发送" in outbox, outbox
        assert "13807970001" not in driver.page_source
        tabs = driver.find_element(By.CSS_SELECTOR, "#jobs ul.tabs").text
        assert "已完成" in tabs and "失败" in tabs, tabs
        assert_fits(driver, "the jobs page")
        driver.save_screenshot(os.path.join(ARTIFACTS, "admin-jobs-%s.png" % label))
        # the failed tab: nothing has failed on a fresh demo
        driver.find_element(By.CSS_SELECTOR, "#jobs ul.tabs").find_element(By.PARTIAL_LINK_TEXT, "失败").click()
        body = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.jobs"))).text
        assert "没有这一状态的任务" in body, body
    finally:
        driver.quit()


def check_director_payment_and_reversal(base, width, height, label):
    """Issue 16 items 12–14: the director finds a case with the one search box (共 N 件), types an
    amount above what is left and reads the refusal, records a payment, then reverses it: the
    browser will not send the reversal until its box is ticked, and afterwards the payment stays,
    struck through, with the reason."""
    driver = browser(width, height)
    wait = patient(driver, 10)
    try:
        log_in_as_director(driver, base)
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "nav")))
        driver.get(base + "/cases")
        box = wait.until(EC.presence_of_element_located((By.NAME, "q")))
        box.send_keys("赣0732执")
        driver.find_element(By.CSS_SELECTOR, "form.filters button.primary").click()
        wait.until(EC.url_contains("q="))
        total = wait.until(EC.presence_of_element_located((By.ID, "total"))).text
        assert re.search(r"共 [1-9][0-9]* 件", total), total
        assert driver.find_elements(By.CSS_SELECTOR, "a[rel=next]"), "no 下一页 on a list of %s" % total
        assert_fits(driver, "the case list")
        driver.save_screenshot(os.path.join(ARTIFACTS, "director-search-%s.png" % label))
        # a case with something left to pay: the first in enforcement
        Select(driver.find_element(By.NAME, "status")).select_by_value("inEnforcement")
        driver.find_element(By.CSS_SELECTOR, "form.filters button.primary").click()
        wait.until(EC.url_contains("status=inEnforcement"))
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.cases tbody a"))).click()
        wait.until(EC.presence_of_element_located((By.ID, "payment")))
        unperformed = driver.find_element(By.XPATH, "//dt[text()='未履行']/following-sibling::dd").text
        form = driver.find_element(By.CSS_SELECTOR, "#payment form")
        form.find_element(By.NAME, "amount").send_keys("99999999")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        flash = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash-error"))).text
        assert "超过未履行金额 " + unperformed in flash and "超出部分说明" in flash, flash
        assert driver.find_element(By.CSS_SELECTOR, "#payment input[name=amount]").get_attribute("value") == "99999999"
        driver.save_screenshot(os.path.join(ARTIFACTS, "director-overpayment-%s.png" % label))
        amount = driver.find_element(By.CSS_SELECTOR, "#payment input[name=amount]")
        amount.clear()
        amount.send_keys("1.23")
        driver.find_element(By.CSS_SELECTOR, "#payment button[type=submit]").click()
        wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "已登记履行款项"))
        rows = driver.find_elements(By.CSS_SELECTOR, "tr.reversal-row")
        assert rows, "no reversal form beside the payments"
        rows[-1].find_element(By.TAG_NAME, "summary").click()
        reversal = rows[-1].find_element(By.TAG_NAME, "form")
        reversal.find_element(By.NAME, "reason").send_keys("金额录错")
        reversal.find_element(By.CSS_SELECTOR, "button.danger").click()
        time.sleep(0.5)
        # the required box stops the browser: still the same page, nothing sent
        assert driver.execute_script("return arguments[0].checkValidity()", reversal) is False
        assert not driver.find_elements(By.CSS_SELECTOR, ".flash-success") or "已撤销" not in driver.find_element(By.CSS_SELECTOR, ".flash").text
        reversal.find_element(By.NAME, "confirmed").click()
        reversal.find_element(By.CSS_SELECTOR, "button.danger").click()
        wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "已撤销这笔履行记录"))
        struck = driver.find_elements(By.CSS_SELECTOR, "tr.reversed s")
        assert any(item.text == "¥1.23" for item in struck), [item.text for item in struck]
        assert "金额录错" in driver.find_element(By.CSS_SELECTOR, "tr.reversed").text
        assert driver.find_element(By.XPATH, "//dt[text()='未履行']/following-sibling::dd").text == unperformed
        assert_fits(driver, "the case page")
        driver.save_screenshot(os.path.join(ARTIFACTS, "director-reversal-%s.png" % label))
    finally:
        driver.quit()


def check_director_official_push(base, width, height, label):
    """Issue 18 item 1: the director opens 专项组, sends a 通报函 for a public official dated 40
    days back (its 30 days have passed), is told a push needs a choice, then walks the push to
    its escalation: both 移送函 listed, one opened and read."""
    driver = browser(width, height)
    wait = patient(driver, 10)
    try:
        log_in_as_director(driver, base)
        nav = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "nav")))
        nav.find_element(By.LINK_TEXT, "专项组").click()
        form = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#push form")))
        assert_fits(driver, "the team page")
        driver.save_screenshot(os.path.join(ARTIFACTS, "officials-team-%s.png" % label))
        candidate = Select(form.find_element(By.NAME, "candidate")).first_selected_option.text
        sent = driver.execute_script(
            "var d = new Date(Date.now() - 40 * 86400000 + 8 * 3600000); return d.toISOString().slice(0, 10);")
        driver.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, "sentOn"), sent)
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "已发出通报函"))
        assert "逾期未履行，待移送" in driver.find_element(By.ID, "stage").text, driver.find_element(By.ID, "stage").text
        assert candidate.split(" ")[1].split("（")[0] in driver.find_element(By.TAG_NAME, "h1").text
        assert_fits(driver, "the push page")
        driver.save_screenshot(os.path.join(ARTIFACTS, "officials-push-%s.png" % label))
        driver.find_element(By.CSS_SELECTOR, "#escalate button[type=submit]").click()
        wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "已生成移送函"))
        bodies = [row.find_elements(By.TAG_NAME, "td")[0].text for row in driver.find_elements(By.CSS_SELECTOR, "#escalations tbody tr")]
        assert bodies == ["县纪委监委", "县委组织部"], bodies
        assert "已移送纪委监委、组织部" in driver.find_element(By.ID, "stage").text
        assert_fits(driver, "the escalated push")
        driver.save_screenshot(os.path.join(ARTIFACTS, "officials-escalated-%s.png" % label))
        driver.find_element(By.CSS_SELECTOR, "#escalations tbody tr a").click()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "h1")))
        text = driver.find_element(By.TAG_NAME, "body").text
        assert "移送函" in text and "县纪委监委：" in text and "期限届满，被执行人仍未履行" in text, text[:300]
        assert_fits(driver, "the 移送函")
        driver.save_screenshot(os.path.join(ARTIFACTS, "officials-letter-%s.png" % label))
    finally:
        driver.quit()


def check_director_settlement(base, width, height, label):
    """Issue 18 item 4: the director reads 和解推进组 (the demo's breach listed first), records a
    settlement on a case in enforcement — a schedule line it cannot read refused with what it
    accepts, the typing kept — dated 60 days back with its first instalment 40 days back; the
    settlement is then in breach, and the director resumes enforcement on the applicant's
    application."""
    driver = browser(width, height)
    wait = patient(driver, 10)
    try:
        log_in_as_director(driver, base)
        driver.get(base + "/settlements")
        breached = wait.until(EC.presence_of_element_located((By.ID, "stage-breached")))
        assert "违约" in breached.text and breached.find_elements(By.CSS_SELECTOR, "tbody tr"), breached.text
        assert driver.find_element(By.ID, "stage-running").find_elements(By.CSS_SELECTOR, "tbody tr")
        assert_fits(driver, "the settlement team page")
        driver.save_screenshot(os.path.join(ARTIFACTS, "settlements-team-%s.png" % label))
        day = lambda offset: driver.execute_script(
            "var d = new Date(Date.now() + arguments[0] * 86400000 + 8 * 3600000); return d.toISOString().slice(0, 10);", offset)
        # a case in enforcement filed before the agreement, without a running settlement
        driver.get(base + "/cases?status=inEnforcement&filedTo=" + day(-90))
        links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "main table a") if "/cases/" in a.get_attribute("href")]
        for link in links:
            driver.get(link)
            if driver.find_elements(By.CSS_SELECTOR, "#settle"):
                break
        else:
            raise AssertionError("no case in enforcement offers the settlement form")
        case_url = driver.current_url
        settle = driver.find_element(By.CSS_SELECTOR, "#settle")
        settle.find_element(By.TAG_NAME, "summary").click()
        form = settle.find_element(By.TAG_NAME, "form")
        driver.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, "agreedOn"), day(-60))
        form.find_element(By.NAME, "terms").send_keys("被执行人分两期支付二千元，申请执行人放弃其余请求")
        form.find_element(By.NAME, "instalments").send_keys("%s 一千元" % day(-40))
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        refused = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash-error")))
        assert "看不懂" in refused.text or "金额" in refused.text, refused.text
        form = driver.find_element(By.CSS_SELECTOR, "#settle form")
        assert "被执行人分两期" in form.find_element(By.NAME, "terms").get_attribute("value")
        assert_fits(driver, "the refused settlement")
        driver.save_screenshot(os.path.join(ARTIFACTS, "settlement-refused-%s.png" % label))
        box = form.find_element(By.NAME, "instalments")
        box.clear()
        box.send_keys("%s 1000\n%s 1000" % (day(-40), day(20)))
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        # the refused page's message goes with its page; then the saved one is read
        wait.until(EC.staleness_of(refused))
        flash = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash")))
        assert "已登记执行和解" in flash.text, flash.text
        assert driver.current_url.split("?")[0] == case_url.split("?")[0]
        assert "因执行和解中止执行" in driver.find_element(By.TAG_NAME, "main").text
        section = driver.find_element(By.ID, "settlements")
        assert "违约" in section.text, section.text
        assert_fits(driver, "the settled case")
        section.find_element(By.CSS_SELECTOR, "li a").click()
        stage = wait.until(EC.presence_of_element_located((By.ID, "stage")))
        assert "违约" in stage.text and "¥1,000.00" in stage.text, stage.text
        rows = driver.find_elements(By.CSS_SELECTOR, "table.instalments tbody tr")
        assert len(rows) == 2 and "逾期未付" in rows[0].text and "未到期" in rows[1].text, [r.text for r in rows]
        assert_fits(driver, "the settlement in breach")
        driver.save_screenshot(os.path.join(ARTIFACTS, "settlement-breach-%s.png" % label))
        driver.find_element(By.CSS_SELECTOR, "#resume button[type=submit]").click()
        wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "已恢复执行"))
        assert "已恢复执行" in driver.find_element(By.ID, "stage").text
        assert not driver.find_elements(By.CSS_SELECTOR, "#resume")
        assert_fits(driver, "the resumed settlement")
        driver.save_screenshot(os.path.join(ARTIFACTS, "settlement-resumed-%s.png" % label))
    finally:
        driver.quit()


def check_clerk_import(base, width, height, label):
    """Issue 16 item 18: a clerk (书记员) finds 导入案件 in the navigation, imports the sample export,
    reads the report — every case it touched linked, the 承办人 with no judge account named —
    and opens a case from it."""
    driver = browser(width, height)
    wait = patient(driver, 10)
    try:
        log_in(driver, base, "clerk", "clerk-demo-2026")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "nav"))).find_element(By.LINK_TEXT, "导入案件").click()
        upload = wait.until(EC.presence_of_element_located((By.ID, "file")))
        # The sample with case numbers of this run's own (执1022号 → 执71022号 on the phone), so each
        # run creates cases and the report has cases to link.
        with open(os.path.join(ROOT, "Tests", "Fixtures", "sample-case-export.csv"), encoding="utf-8-sig") as sample:
            text = sample.read()
        prefix = "7" if width < 500 else "8"
        text = "\n".join(re.sub(r"^([^,]*?执恢?)(\d+号)", lambda m: m.group(1) + prefix + m.group(2), line) for line in text.splitlines())
        folder = tempfile.mkdtemp(prefix="chuqing-import-")
        path = os.path.join(folder, "导出-%s.csv" % label)
        with open(path, "w", encoding="utf-8") as export:
            export.write(text + "\n")
        upload.send_keys(path)
        # Check first, then commit what was checked without choosing the file again.
        driver.find_element(By.NAME, "dryRun").click()
        driver.find_element(By.CSS_SELECTOR, "form[enctype] button.primary").click()
        commit = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#commit-checked button")))
        assert "未写入" in driver.find_element(By.ID, "report").text
        assert_fits(driver, "the checked import")
        driver.save_screenshot(os.path.join(ARTIFACTS, "clerk-import-checked-%s.png" % label))
        commit.click()
        wait.until(EC.staleness_of(commit))
        flash = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash")))
        assert "已导入" in flash.text, flash.text
        report = wait.until(EC.presence_of_element_located((By.ID, "report")))
        links = report.find_elements(By.CSS_SELECTOR, "ul.touched a")
        assert len(links) >= 5, report.text
        assert "第 12 行" in report.text, report.text
        assert_fits(driver, "the import report")
        driver.save_screenshot(os.path.join(ARTIFACTS, "clerk-import-%s.png" % label))
        first = links[0].text
        links[0].click()
        heading = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "h1.case-number")))
        assert heading.text == first, (heading.text, first)
        # A page of another role: who may, and the navigation kept.
        driver.get(base + "/admin/users")
        alert = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash-error")))
        assert "仅限系统管理员" in alert.text and "书记员" in alert.text, alert.text
        assert driver.find_elements(By.CSS_SELECTOR, "nav.main-nav a"), "the 403 page lost the navigation"
        assert_fits(driver, "the 403 page")
        driver.save_screenshot(os.path.join(ARTIFACTS, "clerk-forbidden-%s.png" % label))
    finally:
        driver.quit()


def main():
    os.makedirs(ARTIFACTS, exist_ok=True)
    server, base, workdir = start_server()
    passed = failed = 0
    try:
        checks = [(1280, 800, "desktop", "director publishes", check_director_publishes_credit_repair),
                  (360, 640, "phone", "liaison lead", check_liaison_lead),
                  # the demo's one overdue lead, before the director answers it
                  (360, 740, "phone", "judge deadlines", check_judge_deadlines),
                  (1280, 800, "desktop", "judge deadlines", check_judge_deadlines),
                  # answers the demo's one overdue lead: once
                  (360, 740, "phone", "director triage", check_director_triage),
                  (360, 740, "phone", "judge look-up", check_judge_lookup),
                  # reads the log of the look-up just made
                  (360, 740, "phone", "director look-up log", check_director_lookup_log),
                  # after the look-ups: it changes a category's time budget
                  (360, 740, "phone", "admin catalogue", check_admin_catalogue)]
        for width, height, label in ((360, 740, "phone"), (1280, 800, "desktop")):
            for name, check in (("judge login", check_login_as_judge), ("director batch", check_director_batch),
                                ("public notices", check_public_notices), ("director payment", check_director_payment_and_reversal),
                                ("clerk import", check_clerk_import), ("admin jobs", check_admin_jobs),
                                ("director official push", check_director_official_push),
                                ("director settlement", check_director_settlement)):
                checks.append((width, height, label, name, check))
        for width, height, label, name, check in checks:
            try:
                check(base, width, height, label)
                passed += 1
                print("browser: %s on %s (%dpx) ok" % (name, label, width))
            except Exception as error:  # report every failure, then fail the run
                failed += 1
                print("browser: %s on %s (%dpx) FAILED: %r" % (name, label, width, error))
                traceback.print_exc()
    finally:
        server.terminate()
        server.wait(timeout=10)
        # The simulators too, waited for (a simulator left running holds its port and a core's
        # share of nothing).
        for helper in (server.exchange, server.gateway):
            helper.terminate()
            try:
                helper.wait(timeout=5)
            except subprocess.TimeoutExpired:
                helper.kill()
        shutil.rmtree(workdir, ignore_errors=True)
    print("browser: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
