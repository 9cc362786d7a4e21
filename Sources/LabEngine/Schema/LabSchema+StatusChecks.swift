// The schema of the named status checks (`status_checks:`) and of the references to them.

extension LabSchema {
    /// `status_checks:` — by name, each a list of criteria.
    static var statusChecks: JSONValue {
        ["type": "object", "propertyNames": ["pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"],
         "additionalProperties": ["type": "array", "minItems": 1, "items": criterion,
                                  "description": "A status check: criteria that must all hold."],
         "description": """
             Named status checks, each a list of criteria that must all hold: is the site up, how is the SLI doing, \
             is an incident open, is today frozen? Exercises name them in status_check.checks and .continuous, \
             scenarios in a { check: NAME } step; `chaoslab check LAB` runs them on their own. Default: none.
             """]
    }

    /// The fields each kind takes besides `kind`, and those it needs.
    private static let kindFields: [(kind: String, fields: [String], required: [String])] = [
        ("journey", ["journey", "for"], ["journey"]),
        ("http", ["url", "method", "headers", "body", "status", "max_ms", "json", "matches", "timeout"], ["url"]),
        ("prometheus", ["query", "expect"], ["query", "expect"]),
        ("alerts", ["matching"], []),
        ("calendar", ["file", "others"], []),
    ]

    private static var criterion: JSONValue {
        let comparison = "an operator and a number: \"< 0.01\", \">= 0.99\", \"== 0\""
        let jsonExpectation = object(
            "One value of a JSON response body.",
            required: ["path"],
            properties: [
                "path": text("A JSONPath to one value: $ then .name, ['name'] or [index] steps, like $.items[0].price; .length of a list."),
                "equals": ["description": "The value it must equal (text, number, true/false or null)."],
                "expect": text("A comparison the number must satisfy: \(comparison)."),
            ])
        let properties: [String: JSONValue] = [
            "kind": choice(CheckCriterion.kinds, "What this criterion asks: journey, http, prometheus, alerts or calendar."),
            "journey": text("journey: the journey to drive; it must work (meet its SLO)."),
            "for": duration("journey: how long to drive it. Default: 5s.", default: "5s"),
            "url": text("http: the URL; may start with {storefront}, {checkout}, {cache}, {ads} or {lab} (this workspace's addresses)."),
            "method": choice(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"], "http: the method. Default: GET."),
            "headers": ["type": "object", "additionalProperties": ["type": "string"], "description": "http: request headers."],
            "body": text("http: the request body."),
            "status": ["description": "http: the status codes accepted: a code (200), a list ([200, 204]) or a range (\"200-299\", \"2xx\"). Default: 200-299.",
                       "oneOf": [["type": "integer"], ["type": "array", "items": ["type": "integer"]], ["type": "string"]]],
            "max_ms": ["type": "number", "exclusiveMinimum": 0, "description": "http: the slowest acceptable answer, in milliseconds."],
            "json": ["description": "http: values of the JSON body, one or a list.",
                     "oneOf": [jsonExpectation, ["type": "array", "items": jsonExpectation]]],
            "matches": text("http: a regular expression the body must contain."),
            "timeout": duration("http: how long to wait for the answer. Default: 2s.", default: "2s"),
            "query": text("prometheus: a PromQL instant query against the lab's Prometheus; every series must satisfy expect."),
            "expect": text("prometheus: \(comparison)."),
            "matching": ["type": "object", "additionalProperties": ["type": "string"],
                         "description": "alerts: labels an alert must all carry to count, like { severity: page }. Default: every alert."],
            "file": text("calendar: an iCalendar file, relative to the lab file; no experiment inside any of its events."),
            "others": choice(CalendarCriterion.Others.allCases.map(\.rawValue),
                             "calendar: refuse while another experiment runs in this sandbox (sandbox), in any (anywhere), or never (ignore). Default: sandbox."),
        ]
        return object("One criterion of a status check.", required: ["kind"], properties: properties).merging([
            "allOf": .array(kindFields.map { entry in
                let allowed = ["kind"] + entry.fields
                return ["if": ["properties": ["kind": ["const": .string(entry.kind)]], "required": ["kind"]],
                        "then": ["required": .array(entry.required.map(JSONValue.string)),
                                 "propertyNames": ["enum": .array(allowed.map(JSONValue.string))]]]
            }),
        ])
    }

    /// `status_check.checks` and `.continuous`.
    static var statusCheckReferences: [String: JSONValue] {
        [
            "checks": ["type": "array", "items": text("The name of one of the lab's status_checks."),
                       "description": "Named status checks that must also hold before the attack; judged first. Default: none."],
            "continuous": object(
                "Status checks polled while the attack runs: the first that does not pass halts it.",
                required: ["checks"],
                properties: [
                    "checks": ["type": "array", "minItems": 1, "items": text("The name of one of the lab's status_checks."),
                               "description": "The status checks to poll; at least one."],
                    "every": duration("How often to poll them. Default: 1s.", default: "1s"),
                ]),
        ]
    }

    /// A scenario step: an exercise id, or `{ check: NAME }`.
    static var scenarioStep: JSONValue {
        ["oneOf": [
            text("The id of an exercise of this lab: its attack, behind its own status check."),
            object("One of the lab's status checks, judged between attacks; the scenario stops when it does not pass.",
                   required: ["check"], properties: ["check": text("The name of one of the lab's status_checks.")]),
        ]]
    }
}
