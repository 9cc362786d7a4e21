import Foundation

/// One team of a group server: its credentials and its own workspace.
package struct Team: Sendable {
    package let name: String
    /// What a person types to join the team, with a display name and a role.
    package let joinCode: String
    /// The team's API token (`Authorization: Bearer TOKEN`).
    package let token: String
    /// The secret in the path of the team's Toxiproxy API, `/t/SECRET`.
    package let secret: String
    package let createdAt: Date
    /// The file name of the team's lab store, in the teams folder.
    package let storeFile: String
    package let workspace: Workspace
}
