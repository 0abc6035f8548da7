/// Hands row batches from the task that reads and validates a file to the task that stores them,
/// so on a machine with two cores parsing the next rows overlaps the database's work on the last.
/// Bounded: the reader waits when `capacity` batches are queued, so a 100,000-row file never sits
/// in memory whole.
actor RowBatchChannel {
    private let capacity: Int
    private var queued: [[ImportedRow]] = []
    private var finished = false
    private var closed = false
    private var failure: (any Error)?
    private var waitingReceiver: CheckedContinuation<Void, Never>?
    private var waitingSender: CheckedContinuation<Void, Never>?

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Queues a batch; false once the receiver has gone (stop reading).
    func send(_ batch: [ImportedRow]) async -> Bool {
        while queued.count >= capacity && !closed {
            await withCheckedContinuation { waitingSender = $0 }
        }
        guard !closed else { return false }
        queued.append(batch)
        wakeReceiver()
        return true
    }

    /// No more batches; with an error, the receiver's next `receive` throws it.
    func finish(throwing error: (any Error)? = nil) {
        finished = true
        failure = error
        wakeReceiver()
    }

    /// The next batch, nil at the end.
    func receive() async throws -> [ImportedRow]? {
        while queued.isEmpty && !finished {
            await withCheckedContinuation { waitingReceiver = $0 }
        }
        if !queued.isEmpty {
            let batch = queued.removeFirst()
            waitingSender?.resume()
            waitingSender = nil
            return batch
        }
        if let failure { throw failure }
        return nil
    }

    /// The receiver stops early (the store failed): release a waiting sender.
    func close() {
        closed = true
        queued.removeAll()
        waitingSender?.resume()
        waitingSender = nil
    }

    private func wakeReceiver() {
        waitingReceiver?.resume()
        waitingReceiver = nil
    }
}
