import Foundation
import NIOCore
import Testing

@testable import FaultProxy

@Suite("StreamStateMachine")
struct StreamStateMachineTests {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    func chunk(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    @Test("without faults everything is delivered at once")
    func passThrough() {
        var machine = StreamStateMachine(policy: StreamPolicy(), rng: SplitMix64(seed: 1))
        #expect(machine.receive(chunk("a"), now: start) == .deliver(.data(chunk("a"))))
        #expect(machine.receiveEnd(now: start) == .deliver(.end))
        #expect(!machine.lostData)
    }

    @Test("blackhole discards data and the end, and remembers the loss")
    func blackhole() {
        var machine = StreamStateMachine(policy: StreamPolicy(blackhole: true), rng: SplitMix64(seed: 1))
        #expect(!machine.lostData)
        #expect(machine.receive(chunk("a"), now: start) == .discard)
        #expect(machine.receiveEnd(now: start) == .discard)
        #expect(machine.lostData)
    }

    @Test("with jitter, chunks are never due before the chunk ahead; the end comes last")
    func orderUnderJitter() {
        let latency = LatencyToxic(latency: .milliseconds(100), jitter: .milliseconds(90))
        var machine = StreamStateMachine(policy: StreamPolicy(latency: latency), rng: SplitMix64(seed: 3))
        for index in 0..<100 {
            #expect(machine.receive(chunk("\(index),"), now: start + .milliseconds(Int64(index))) == .hold)
        }
        #expect(machine.receiveEnd(now: start + .milliseconds(100)) == .hold)
        #expect(machine.takeDue(now: start + .milliseconds(9)).isEmpty)

        var delivered: [StreamStateMachine.Item] = []
        var now = start
        while machine.nextDue != nil {
            now = now + .milliseconds(7)
            delivered += machine.takeDue(now: now)
        }
        let expected = (0..<100).map { StreamStateMachine.Item.data(chunk("\($0),")) } + [.end]
        #expect(delivered == expected)
        #expect(machine.queuedBytes == 0)
    }

    @Test("removing the latency flushes the queue; adding a blackhole discards it")
    func policyChanges() {
        let latency = LatencyToxic(latency: .seconds(1), jitter: .zero)
        var machine = StreamStateMachine(policy: StreamPolicy(latency: latency), rng: SplitMix64(seed: 1))
        _ = machine.receive(chunk("a"), now: start)
        _ = machine.receive(chunk("b"), now: start)
        #expect(machine.queuedBytes == 2)
        #expect(machine.apply(StreamPolicy()) == [.data(chunk("a")), .data(chunk("b"))])

        machine = StreamStateMachine(policy: StreamPolicy(latency: latency), rng: SplitMix64(seed: 1))
        _ = machine.receive(chunk("a"), now: start)
        #expect(machine.apply(StreamPolicy(blackhole: true, latency: latency)).isEmpty)
        #expect(machine.lostData)
        #expect(machine.nextDue == nil)
    }

    @Test("the queue stops reads above the high-water mark")
    func backpressure() {
        let latency = LatencyToxic(latency: .seconds(1), jitter: .zero)
        var machine = StreamStateMachine(policy: StreamPolicy(latency: latency), rng: SplitMix64(seed: 1))
        let big = ByteBuffer(repeating: 0, count: StreamStateMachine.highWaterMark)
        #expect(machine.acceptsMore)
        _ = machine.receive(big, now: start)
        #expect(!machine.acceptsMore)
        _ = machine.takeDue(now: start + .seconds(1))
        #expect(machine.acceptsMore)
    }

    @Test("policy folding: refuse, blackhole and summed latencies")
    func folding() {
        let now = Date()
        func fault(_ kind: FaultKind) -> ActiveFault {
            ActiveFault(id: kind.name, kind: kind, appliedAt: now, expiresAt: now)
        }
        let policy = FaultPolicy(faults: [
            fault(.latency(latency: .milliseconds(100), jitter: .milliseconds(10))),
            fault(.latency(latency: .milliseconds(50), jitter: .zero)),
        ])
        #expect(policy.downstream.latency == LatencyToxic(latency: .milliseconds(150), jitter: .milliseconds(10)))
        #expect(policy.upstream.latency == nil)
        #expect(!policy.refuse && !policy.blackhole)
        #expect(FaultPolicy(faults: [fault(.blackhole)]).upstream.blackhole)
    }

    @Test("jitter repeats with the same seed and stays within bounds")
    func seededJitter() {
        let toxic = LatencyToxic(latency: .milliseconds(10), jitter: .milliseconds(20))
        var first = SplitMix64(seed: 9)
        var second = SplitMix64(seed: 9)
        let a = (0..<50).map { _ in toxic.delay(using: &first) }
        let b = (0..<50).map { _ in toxic.delay(using: &second) }
        #expect(a == b)
        #expect(a.allSatisfy { $0 >= .zero && $0 <= .milliseconds(30) })
        #expect(a.contains(.zero))  // clamped at zero
    }
}
