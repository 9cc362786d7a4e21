import Testing
@testable import LabStore

@Suite("Learners")
struct LearnerTests {
    @Test("asking for a learner by name creates them once, then finds them")
    func findOrCreate() async throws {
        // Given an empty store
        let store = try inMemoryStore()

        // When "ada" is asked for twice and "grace" once
        let first = try await store.learner(named: "ada")
        let again = try await store.learner(named: "ada")
        let other = try await store.learner(named: "grace")

        // Then the second call finds the first learner, and names stay distinct
        #expect(first == again)
        #expect(first.name == "ada")
        #expect(other.id != first.id)
    }

    @Test("starting a run for a new name creates the learner")
    func startRunCreatesLearner() async throws {
        // Given a run started for a name never seen
        let (store, run) = try await storeWithStartedRun()

        // When the learner is looked up by that name
        let ada = try await store.learner(named: "ada")

        // Then the run belongs to that learner
        #expect(run.learnerID == ada.id)
    }

    @Test("a blank learner name is refused with advice")
    func blankNameIsRefused() async throws {
        // Given an empty store
        let store = try inMemoryStore()

        // When a learner is asked for with a blank name
        // Then the database's CHECK refuses it, as a typed error
        await #expect(throws: LabStoreError.blankLearnerName) {
            _ = try await store.learner(named: "   ")
        }
    }
}
