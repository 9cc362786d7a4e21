"""Checks lab files against the JSON Schema that `chaoslab schema` printed, with a real JSON
Schema validator (jsonschema, draft-07) and PyYAML, as an editor would.

Usage: SCHEMA [--valid] FILE... [--invalid FILE...]

Files after --valid must validate, files after --invalid must not. A Markdown file stands for
each of its ```yaml blocks. Prints one line per lab; exits non-zero when any lab is not judged
as expected, or when the schema itself is not a valid draft-07 schema."""
import json
import re
import sys

import yaml
from jsonschema import Draft7Validator


def documents(path):
    """(name, text) for a YAML file, or for each ```yaml block of a Markdown file."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if not path.endswith(".md"):
        return [(path, text)]
    blocks = re.findall(r"^```yaml\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)
    return [("%s (yaml block %d)" % (path, number + 1), block) for number, block in enumerate(blocks)]


def problems(validator, text):
    """Every schema violation of one lab, as 'path: message'; a YAML syntax error is one too."""
    try:
        lab = yaml.safe_load(text)
    except yaml.YAMLError as error:
        return ["YAML: %s" % str(error).splitlines()[0]]
    found = sorted(validator.iter_errors(lab), key=lambda error: list(error.absolute_path))
    return ["%s: %s" % ("/".join(str(part) for part in error.absolute_path) or "(lab)", error.message) for error in found]


def main(arguments):
    with open(arguments[0], encoding="utf-8") as handle:
        schema = json.load(handle)
    Draft7Validator.check_schema(schema)
    validator = Draft7Validator(schema)
    expect_valid, failures, count = True, 0, 0
    for argument in arguments[1:]:
        if argument in ("--valid", "--invalid"):
            expect_valid = argument == "--valid"
            continue
        for name, text in documents(argument):
            count += 1
            found = problems(validator, text)
            if expect_valid and not found:
                print("ok        %s" % name)
            elif not expect_valid and found:
                print("rejected  %s: %s" % (name, found[0]))
            else:
                failures += 1
                if expect_valid:
                    print("FAIL      %s does not validate against the schema:\n  %s" % (name, "\n  ".join(found)))
                else:
                    print("FAIL      %s validates against the schema, but should not" % name)
    if count == 0:
        print("FAIL      no lab was checked")
        return 1
    if failures:
        print("%d of %d labs were not judged as expected" % (failures, count))
        return 1
    print("all checks passed (%d labs)" % count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
