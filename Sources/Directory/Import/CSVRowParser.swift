import GBCore

/// An RFC 4180 state machine over UTF-8 bytes that keeps going on bad input: a quote that never
/// closes is reported and re-read as a literal character, a cell longer than `maxCellBytes` is
/// reported and cut, so one broken cell costs one finding, never the rest of the file.
struct CSVRowParser {
    var delimiter: UInt8 = UInt8(ascii: ",")
    let maxCellBytes: Int

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    private var state = State.fieldStart
    private var field: [UInt8] = []
    private var fields: [String] = []
    private var fieldTruncatedAt: Int?
    /// Bytes seen since an opening quote, kept to re-read them if the quote never closes.
    private var sinceQuote: [UInt8] = []
    private var quoteHasNewline = false
    private(set) var rowsEmitted = 0
    private(set) var issues: [ReadIssue] = []

    init(maxCellBytes: Int) {
        self.maxCellBytes = maxCellBytes
    }

    mutating func feed(_ bytes: some Sequence<UInt8>, emit: (TableRow) -> Void) {
        for byte in bytes { step(byte, emit: emit) }
    }

    /// End of input: close an open quote by re-reading it as text, flush the last row.
    mutating func finish(emit: (TableRow) -> Void) {
        if state == .quoted { recoverUnclosedQuote(emit: emit) }
        if state != .fieldStart || !field.isEmpty || !fields.isEmpty {
            endField()
            endRow(emit: emit)
        }
    }

    private mutating func step(_ byte: UInt8, emit: (TableRow) -> Void) {
        switch state {
        case .fieldStart:
            if byte == UInt8(ascii: "\"") {
                state = .quoted
                sinceQuote.removeAll(keepingCapacity: true)
                quoteHasNewline = false
            } else {
                state = .unquoted
                unquoted(byte, emit: emit)
            }
        case .unquoted:
            unquoted(byte, emit: emit)
        case .quoted:
            sinceQuote.append(byte)
            if byte == UInt8(ascii: "\"") {
                state = .quoteInQuoted
            } else {
                if byte == 0x0A { quoteHasNewline = true }
                append(byte)
                // A quoted cell that swallows lines past the cell limit is an unclosed quote.
                if quoteHasNewline && sinceQuote.count > maxCellBytes { recoverUnclosedQuote(emit: emit) }
            }
        case .quoteInQuoted:
            if byte == UInt8(ascii: "\"") {
                sinceQuote.append(byte)
                append(byte)
                state = .quoted
            } else if byte == delimiter || byte == 0x0A || byte == 0x0D {
                state = .unquoted
                unquoted(byte, emit: emit)
            } else if quoteHasNewline {
                // A "closing" quote followed by text, after swallowing lines: the opening quote was
                // never meant to open a field. Re-read from it as plain text.
                sinceQuote.append(byte)
                recoverUnclosedQuote(emit: emit)
            } else {
                // `"abc"def` on one line: keep the text (as Excel does) and say so.
                issues.append(ReadIssue(row: rowsEmitted, message: LocalizedText(
                    zh: "第\(rowsEmitted)行第\(fields.count + 1)列引号不成对（引号后还有文字），请检查该单元格",
                    en: "row \(rowsEmitted), column \(fields.count + 1): a quote closes before the end of the cell; check it")))
                state = .unquoted
                unquoted(byte, emit: emit)
            }
        }
    }

    private mutating func unquoted(_ byte: UInt8, emit: (TableRow) -> Void) {
        switch byte {
        case delimiter:
            endField()
            state = .fieldStart
        case 0x0A:
            endField()
            endRow(emit: emit)
            state = .fieldStart
        case 0x0D:
            break  // CRLF and lone CR both end at the LF or are dropped.
        default:
            append(byte)
        }
    }

    private mutating func append(_ byte: UInt8) {
        if field.count < maxCellBytes {
            field.append(byte)
        } else if fieldTruncatedAt == nil {
            fieldTruncatedAt = fields.count + 1
        }
    }

    private mutating func recoverUnclosedQuote(emit: (TableRow) -> Void) {
        issues.append(ReadIssue(row: rowsEmitted, message: LocalizedText(
            zh: "第\(rowsEmitted)行第\(fields.count + 1)列的引号没有闭合，已按普通字符读取",
            en: "row \(rowsEmitted), column \(fields.count + 1): a quote is never closed; read as a plain character")))
        let replay = sinceQuote
        field = [UInt8(ascii: "\"")]
        state = .unquoted
        sinceQuote.removeAll()
        // Re-read what the quote swallowed; each recovery consumes one quote, so this terminates.
        for byte in replay { step(byte, emit: emit) }
    }

    private mutating func endField() {
        // Cells are UTF-8 already (ChunkTranscoder); a cut in the middle of a character is repaired.
        fields.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
    }

    private mutating func endRow(emit: (TableRow) -> Void) {
        rowsEmitted += 1
        if let column = fieldTruncatedAt {
            issues.append(ReadIssue(row: rowsEmitted - 1, message: LocalizedText(
                zh: "第\(rowsEmitted - 1)行第\(column)列超过\(maxCellBytes)字节，只保留了前\(maxCellBytes)字节",
                en: "row \(rowsEmitted - 1), column \(column) is longer than \(maxCellBytes) bytes; only the first \(maxCellBytes) were kept")))
            fieldTruncatedAt = nil
        }
        emit(TableRow(number: rowsEmitted - 1, cells: fields))
        fields.removeAll(keepingCapacity: true)
    }
}
