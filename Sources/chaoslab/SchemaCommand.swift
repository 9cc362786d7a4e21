import ArgumentParser
import LabDomain
import LabEngine

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of the lab format (or, with --system-file, of system files), for editors.",
        discussion: """
            The schema (JSON Schema draft-07) is built from the code's own knowledge: every fault with its \
            target and attributes, the services, the edges, the outcomes, the journey step and duration syntax. \
            An editor that knows it flags unknown fields, a fault on the wrong kind of target, unknown \
            attributes and out-of-range values as you type, and shows what each field means on hover. \
            References between parts (a journey named in expect, duplicate ids) only `chaoslab validate` checks.

            The checkout keeps a copy in docs/lab.schema.json. With the YAML extension (Red Hat's YAML language \
            server: VS Code, Neovim, Helix, Zed, JetBrains, ...), either put a modeline at the top of a lab:

              # yaml-language-server: $schema=../docs/lab.schema.json

            or map the labs to the schema once, in VS Code's settings.json:

              "yaml.schemas": { "./docs/lab.schema.json": "Labs/*.yaml" }

            Outside a checkout, save it first:

              chaoslab schema > lab.schema.json

            --system-file prints the schema of system files (chaoslab.yaml) instead; the checkout keeps \
            it in docs/system.schema.json:

              # yaml-language-server: $schema=../../docs/system.schema.json
            """)

    @Flag(help: "Print the schema of system files (chaoslab.yaml) instead of labs'.")
    var systemFile = false

    func run() throws {
        say(systemFile ? SystemSchema.text : LabSchema.text)
    }
}
