#!/usr/bin/env python3
"""Validates infra/template.yaml offline.

1. Every function crate under functions/ (except the dev server `local`) has a
   template function building its binary, and every template function a crate.
2. No IAM statement grants a wildcard action.
3. Every function has an alarm on its Errors metric and every dead-letter
   queue one on its depth, each telling the alarm topic.
4. The SAM transform (aws-sam-translator, CodeUri and the layers'
   ContentUri replaced by s3:// placeholders) succeeds, and cfn-lint finds 0 errors in the result.
"""
import copy
import json
import pathlib
import subprocess
import sys
import tempfile

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

ROOT = pathlib.Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "infra" / "template.yaml"


class OfflinePolicies:
    """The managed policies SAM attaches, without asking IAM."""

    def load(self):
        names = ["AWSLambdaBasicExecutionRole", "AWSLambdaSQSQueueExecutionRole", "AWSXrayWriteOnlyAccess", "AWSLambdaRole"]
        return {n: f"arn:aws:iam::aws:policy/service-role/{n}" for n in names}


def crate_binaries():
    bins = set()
    for cargo in (ROOT / "functions").glob("*/Cargo.toml"):
        if cargo.parent.name == "local":
            continue
        bins.add(cargo.parent.name)
    return bins


def fail(msg):
    print(f"template: {msg}", file=sys.stderr)
    sys.exit(1)


def main():
    template = yaml_parse(TEMPLATE.read_text(encoding="utf-8"))
    functions = {k: v for k, v in template["Resources"].items() if v["Type"] == "AWS::Serverless::Function"}
    binaries = {}
    for name, fn in functions.items():
        meta = fn.get("Metadata", {})
        if meta.get("BuildMethod") != "rust-cargolambda":
            fail(f"{name} is not built with rust-cargolambda")
        binaries[meta["BuildProperties"]["Binary"]] = name
    crates = crate_binaries()
    if set(binaries) != crates:
        fail(f"crates without a function: {sorted(crates - set(binaries))}; functions without a crate: {sorted(set(binaries) - crates)}")

    for name, fn in functions.items():
        for policy in fn["Properties"].get("Policies", []):
            for st in policy.get("Statement", []) if isinstance(policy, dict) else []:
                actions = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
                if any("*" in a for a in actions):
                    fail(f"{name} grants a wildcard action: {actions}")

    alarms = [v["Properties"] for v in template["Resources"].values() if v["Type"] == "AWS::CloudWatch::Alarm"]

    def watched(metric, ref):
        return any(
            a["MetricName"] == metric
            and any(d["Value"] == ref for d in a["Dimensions"])
            and a.get("AlarmActions") == [{"Ref": "AlarmTopic"}]
            for a in alarms
        )

    for name in functions:
        if not watched("Errors", {"Ref": name}):
            fail(f"{name} has no Errors alarm telling AlarmTopic")
    dlqs = [k for k, v in template["Resources"].items() if v["Type"] == "AWS::SQS::Queue" and k.endswith("DeadLetterQueue")]
    for name in dlqs:
        if not watched("ApproximateNumberOfMessagesVisible", {"Fn::GetAtt": [name, "QueueName"]}):
            fail(f"{name} has no depth alarm telling AlarmTopic")

    placeholder = copy.deepcopy(template)
    for fn in placeholder["Resources"].values():
        if fn["Type"] == "AWS::Serverless::Function":
            fn["Properties"]["CodeUri"] = "s3://vslc-placeholder/bootstrap.zip"
        if fn["Type"] == "AWS::Serverless::LayerVersion":
            fn["Properties"]["ContentUri"] = "s3://vslc-placeholder/layer.zip"
    out = transform(placeholder, {}, OfflinePolicies())
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(out, f, indent=1)
        transformed = f.name
    cfn_lint = pathlib.Path(sys.executable).parent / "cfn-lint"
    lint = subprocess.run([str(cfn_lint), "--format", "parseable", "--", transformed], capture_output=True, text=True)
    print(lint.stdout, end="")
    # cfn-lint's exit code is a bit mask: 2 errors, 4 warnings, 8 informational; 1 a crash.
    if lint.returncode & 3:
        fail(f"cfn-lint found errors (exit {lint.returncode}) {lint.stderr.strip()}")
    print(f"template: {len(functions)} functions match {len(crates)} crates; {len(alarms)} alarms; transform ok; cfn-lint: 0 errors")


if __name__ == "__main__":
    main()
