#!/usr/bin/env python3
"""Drive a served hybridsim lab from Python, with the standard library only.

It starts `hybridsim serve`, waits until the control API answers, breaks
catalogue entry F06 (the hybrid certificate has expired) through the API,
shows that a STARTTLS client now sees the expired certificate, fixes it,
moves the lab clock on and finds the delivery in Exchange Online's
message trace.

    python3 examples/python/hybridsim_example.py
    python3 examples/python/hybridsim_example.py --hybridsim ./hybridsim
    python3 examples/python/hybridsim_example.py --attach ./lab   # a lab already served into ./lab

The contract it relies on (README, "Control API"): `serve --dir D
--ready-file F --json --api 127.0.0.1:0` writes D/manifest.json, whose
"api" field is the control API's address, and creates F once the API's
GET /api/v1/health answers 200.
"""

import argparse
import json
import os
import shlex
import signal
import smtplib
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request


def api_call(api, method, path, body=None):
    """One request to the control API: the decoded JSON answer, or an
    exception carrying the API's error message."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(api + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return json.load(resp)
    except urllib.error.HTTPError as e:
        raise RuntimeError("%s %s: %d %s" % (method, path, e.code, json.load(e).get("error"))) from None


def starttls(endpoint, name, trust_file):
    """Connect to an SMTP endpoint, EHLO, STARTTLS with a context that
    trusts the lab's on-premises roots and checks the certificate against
    name, as Exchange Online does. Returns the certificate's subject and
    expiry, or raises ssl.SSLCertVerificationError."""
    ctx = ssl.create_default_context(cafile=trust_file)
    host, port = endpoint["address"].rsplit(":", 1)
    with smtplib.SMTP(timeout=30) as smtp:
        smtp.connect(host, int(port))
        smtp._host = name  # verify the name EXO verifies, not 127.0.0.1
        smtp.ehlo("python.example.net")
        smtp.starttls(context=ctx)
        cert = smtp.sock.getpeercert()
        subject = ", ".join("%s=%s" % kv for rdn in cert["subject"] for kv in rdn)
        return subject, cert["notAfter"]


def start_serve(command, workdir):
    """Start `hybridsim serve` with its lab in workdir/lab and wait for its
    ready file. Returns the process and the lab's directory."""
    directory = os.path.join(workdir, "lab")
    ready = os.path.join(workdir, "ready")
    argv = shlex.split(command) + ["serve", "--dir", directory, "--ready-file", ready,
                                   "--json", "--api", "127.0.0.1:0"]
    output = open(os.path.join(workdir, "serve.out"), "w+")
    proc = subprocess.Popen(argv, stdout=output, stderr=subprocess.STDOUT, text=True)
    proc.output = output
    deadline = time.monotonic() + 300  # `go run` may compile first
    while not os.path.exists(ready):
        if proc.poll() is not None:
            output.seek(0)
            raise RuntimeError("hybridsim serve exited with %d: %s" % (proc.returncode, output.read()))
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("hybridsim serve did not write %s within 300 s" % ready)
        time.sleep(0.1)
    return proc, directory


def stop_serve(proc):
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.output.close()


def wait_healthy(api):
    deadline = time.monotonic() + 60
    while True:
        try:
            return api_call(api, "GET", "/api/v1/health")
        except (RuntimeError, urllib.error.URLError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def run(directory):
    with open(os.path.join(directory, "manifest.json")) as f:
        manifest = json.load(f)
    api = manifest["api"]
    if not api.startswith("http"):
        api = "http://" + api
    health = wait_healthy(api)
    print("lab up, clock", health["clock"])

    trust = os.path.join(directory, manifest["files"]["onPremTrustBundle"])
    frontend = next(e for e in manifest["endpoints"]
                    if e["server"] == "EX01" and e["connector"].startswith("Default Frontend"))
    # Exchange Online's outbound connector says which host it connects to.
    shell = api_call(api, "POST", "/api/v1/shell", {"command": "Get-OutboundConnector"})
    connector = shell["objects"][0]
    name = connector["SmartHosts"][0]
    print("EXO's connector %r: SmartHosts %s, TlsSettings %s, TlsDomain %s" % (
        connector["Name"], name, connector["TlsSettings"], connector["TlsDomain"]))
    subject, not_after = starttls(frontend, name, trust)
    print("STARTTLS to %s: %s, valid until %s" % (frontend["name"], subject, not_after))

    broke = api_call(api, "POST", "/api/v1/catalogue/F06/break")
    print("broke F06:\n" + broke["transcript"])
    try:
        starttls(frontend, name, trust)
        raise SystemExit("FAIL: STARTTLS still succeeds after breaking F06")
    except ssl.SSLCertVerificationError as e:
        print("STARTTLS after the break: %s (verify code %d)" % (e.verify_message, e.verify_code))
        if e.verify_code != 10:  # X509_V_ERR_CERT_HAS_EXPIRED
            raise SystemExit("FAIL: want the expired certificate, got %s" % e.verify_message)

    sent = api_call(api, "POST", "/api/v1/send",
                    {"from": "alice@contoso.com", "to": "bob@contoso.com", "subject": "F06 from Python"})
    query = "/api/v1/messagetrace?messageId=" + urllib.parse.quote(sent["messageId"])
    row = api_call(api, "GET", query)[0]
    print("message trace while broken: %s" % row["Status"])

    fixed = api_call(api, "POST", "/api/v1/catalogue/F06/fix")
    print("fixed F06:\n" + fixed["transcript"])
    subject, not_after = starttls(frontend, name, trust)
    print("STARTTLS after the fix: %s, valid until %s" % (subject, not_after))

    for _ in range(12):
        clock = api_call(api, "POST", "/api/v1/clock/advance", {"duration": "15m"})
        row = api_call(api, "GET", query)[0]
        print("clock %s: message trace %s" % (clock["clock"], row["Status"]))
        if row["Status"] == "Delivered":
            events = [d["Event"] for d in row["Details"]]
            print("delivered to %s; events: %s" % (row["RecipientAddress"], ", ".join(events)))
            return
    raise SystemExit("FAIL: the message was not delivered after three hours")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--hybridsim", default="go run ./cmd/hybridsim",
                   help="the command that runs hybridsim (default: %(default)s)")
    p.add_argument("--attach", metavar="DIR",
                   help="use the lab already served into DIR instead of starting one")
    args = p.parse_args()
    if args.attach:
        run(args.attach)
        return
    with tempfile.TemporaryDirectory(prefix="hybridsim-") as workdir:
        proc, directory = start_serve(args.hybridsim, workdir)
        try:
            run(directory)
        finally:
            stop_serve(proc)


if __name__ == "__main__":
    main()
