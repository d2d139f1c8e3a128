import MediateCore
import MediateStore

@testable import MediateCLI

/// Examples of every sentence of the record commands (export, import jsonl, import
/// ledger), for CatalogueTests.
extension CatalogueTests {
    static let recordFaults: [RecordFault] = [
        RecordFault(line: 1, .notJSON), RecordFault(line: 1, .notAnExport), RecordFault(line: 2, .unknownKind("x")),
        RecordFault(line: 2, .badField("state")), RecordFault(line: 3, .caseDiffers("2026-0001")),
        RecordFault(line: 3, .hashDiffers(eventID: 4)), RecordFault(line: 3, .chainGap(eventID: 4)),
        RecordFault(line: 3, .unknownReference("G09")), RecordFault(line: 9, .incomplete),
        RecordFault(line: 4, .refused(.noParties)), RecordFault(line: 7, .fileChanged),
    ]

    static let ledgerFaults: [LedgerFault] = [
        .mapColumnMissing("登记日期"), .missingColumn("登记日期"), .noGridColumn, .noHeader,
        .duplicateKey("3", firstLine: 2), .badDate("2026-13-01"), .dateInFuture(day), .empty, .notAGrid("C01"),
        .unknownGrid("G09"), .unknownTerm("火星", ["邻里", "物业"]), .tooLong(50), .noParties, .badPhone,
        .unknownResult("也许"), .badAmount("一千"), .badForm("电话"), .needsClosedOn,
        .closedBeforeFiled(closed: day, filed: day), .refused(.noParties), .notText(.utf8), .unclosedQuote,
        .readFailed,
    ]

    static let recordsSaid: [RecordsSaid] = [
        .personalDataNotice, .exportNotice, .exported("a.jsonl", cases: 3), .restored("b.db", cases: 3, events: 9),
        .importedFrom(file: "台账.csv", key: "12", line: 13, on: "2026-10-05 09:30"),
    ]

    static let recordsProblems: [RecordsProblem] =
        [
            .adminOnly("wang"), .importAdminOnly("wang"), .outputExists("a.jsonl"), .cannotWrite("/x/a.jsonl"),
            .writeFailed(nil),
            .writeFailed("a.csv"), .noConverter("GB18030"), .restoreNeedsNewDatabase("m.db"),
            .restoreNeedsRoot,
        ] + recordFaults.map { .fault($0, zone: zone) }

    static let ledgerSaid: [LedgerSaid] =
        [
            .ledgerMediator("李明"), .ledgerFollowUp("已履行"),
            .wouldCreate(line: 2, key: "1", day: day, grid: "G01", outcome: .resolved, parties: ["张三", "李四"]),
            .checked("台账.csv", create: 3, skipped: 0, problems: 0),
            .checked("台账.csv", create: 0, skipped: 1, problems: 2),
            .nothingNew("台账.csv", rows: 3),
            .imported("台账.csv", count: 2, first: "2025-0001", last: "2025-0002", skipped: 1),
            .followUpUnread(line: 4),
        ]
        + ledgerFaults.map { .problem(LedgerProblem(line: 3, column: "登记日期", reason: $0), zone: zone) }
        + [.problem(LedgerProblem(line: 1, column: nil, reason: .noHeader))]

    static var recordsEverything: [(String, any Spoken)] {
        var all: [(String, any Spoken)] = []
        all += RecordsHelp.allCases.map { ("RecordsHelp", $0) }
        all += recordsSaid.map { ("RecordsSaid", $0) }
        all += recordsProblems.map { ("RecordsProblem", $0) }
        all += ledgerSaid.map { ("LedgerSaid", $0) }
        all += [("LedgerUsage", LedgerUsage.badMap("x"))]
        all += TextEncoding.allCases.map { ("TextEncoding", $0) }
        all += agreementEverything + reportPageEverything
        return all
    }

    static let recordsFiles = [
        "Sources/MediateCLI/Catalogue/Records.swift", "Sources/MediateCLI/Catalogue/Ledger.swift",
    ]

    static var recordsCovered: [String: Set<String>] {
        [
            "RecordsHelp": Set(RecordsHelp.allCases.map(label)), "RecordsSaid": Set(recordsSaid.map(label)),
            "RecordsProblem": Set(recordsProblems.map(label)), "LedgerSaid": Set(ledgerSaid.map(label)),
            "LedgerFault": Set(ledgerFaults.map(label)), "LedgerUsage": ["badMap"],
        ].merging(agreementCovered) { a, _ in a }
    }
}

/// Examples of the agreement's words.
extension CatalogueTests {
    static let agreementWords: [AgreementWords] = [
        .title, .oralTitle, .number("2026-0042"), .party(role: "申请人", name: "张三"), .sex, .male, .female, .born,
        .bornOn(day, age: 36), .idNumber, .address, .phone, .facts, .responsibility, .agreedIntro, .amount("1200.00"),
        .performance, .performBy(day), .copies(3), .confirmation, .oralEffect, .partySignature,
        .mediatorSignature("李明"), .seal("东湖社区人民调解委员会"), .committee("东湖社区"), .recordedOn(day), .date(day), .blank,
    ]

    static var agreementEverything: [(String, any Spoken)] {
        AgreementHelp.allCases.map { ("AgreementHelp", $0) } + agreementWords.map { ("AgreementWords", $0) }
            + [("AgreementProblem", AgreementProblem.notResolved("2026-0042", .open))]
    }

    static let agreementFiles = ["Sources/MediateCLI/Catalogue/Agreement.swift"]

    static var agreementCovered: [String: Set<String>] {
        [
            "AgreementHelp": Set(AgreementHelp.allCases.map(label)), "AgreementWords": Set(agreementWords.map(label)),
            "AgreementProblem": ["notResolved"], "ReportPageWords": Set(ReportPageWords.allCases.map(label)),
        ]
    }
}

extension CatalogueTests {
    static var reportPageEverything: [(String, any Spoken)] { ReportPageWords.allCases.map { ("ReportPageWords", $0) } }
}
