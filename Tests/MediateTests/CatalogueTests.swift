import Foundation
import MediateCore
import MediateStore
import Testing

@testable import MediateCLI

/// Every sentence the program can say, rendered in both languages: none is empty, the
/// Chinese holds no English word of the code lists, and no case of a catalogue is left
/// without an example here (the source files are read to know the cases).
@Suite struct CatalogueTests {
    static let zone = Zone.named("Asia/Shanghai")!
    static let n = CaseNumber(year: 2026, serial: 42)
    static let day = Day(year: 2026, month: 10, day: 5)!
    static let level = Level(rank: 2, code: "community", nameZh: "社区", nameEn: "community", timeLimitDays: 30)
    static let policy = Policy(
        levels: [
            Level(rank: 1, code: "grid", nameZh: "网格", nameEn: "grid", timeLimitDays: 7), level,
            Level(rank: 3, code: "street", nameZh: "街道", nameEn: "street", timeLimitDays: 30),
        ],
        severities: [Severity(code: "minor", rank: 1, nameZh: "一般", nameEn: "minor", ceiling: 1)],
        categories: [Term(code: "neighbour", nameZh: "邻里", nameEn: "neighbours")],
        sources: [Term(code: "patrol", nameZh: "网格排查", nameEn: "grid patrol")])
    static let period = PeriodName(
        Period(start: 1_790_784_000, end: 1_793_462_400, month: (2026, 10), zone: zone))

    static let violations: [Violation] = [
        .wrongState(.close, .open), .roleCannot(.gridWorker, .refer), .outsideJurisdiction(unitCode: "C02"),
        .aboveGridWorker(levelRank: 2), .atTopLevel, .notAGrid(unitCode: "C01"), .beforeLastEvent(lastEventAt: 0),
        .nothingToAssess, .extensionNotLater(dueAt: 0), .cannotAssign(login: "chen"), .emptyText(field: "reason"),
        .adminOnly, .noParties, .tooManyParties(count: 51), .performByBeforeAgreement(performBy: day, agreedOn: day),
        .followUpBeforeAgreement(followUp: day, agreedOn: day), .extensionNeedsConsent, .reservedLogin("system"),
        .effectiveInFuture(1_800_000_000), .closeBeforePerformBy(performBy: day), .confirmNeedsWrittenAgreement,
        .outsideConfirmWindow(applied: day, agreedOn: day, lastDay: day), .rulingBeforeApplication,
        .confirmAlreadyRecorded, .cannotTakeFollowUp(login: "wang"), .streetAdminOnly,
    ]

    static let storeErrors: [StoreError] =
        violations.map { .rule($0) } + [
            .noSuchCase("2026-0042"), .noSuchUnit("G99"), .noSuchUnit(""), .noSuchPerson("nobody"),
            .unknownActor("nobody"), .unknownTerm(kind: "level", value: "区"), .changedMeanwhile(n),
            .duplicate(kind: "unit", code: "G01"), .duplicate(kind: "person", code: "wang"),
            .badParent(unit: "G09", level: level, parent: "S1"), .badParent(unit: "G09", level: level, parent: nil),
            .unitRow(line: 3, .noSuchUnit("C09")), .alreadyInitialised(path: "m.db", version: 3),
            .notInitialised(path: "m.db"), .foreign(path: "m.db"), .newerSchema(path: "m.db", found: 9, known: 3),
            .unknownZone("Mars/Olympus"), .disabledPerson("wang"),
            .olderSchema(path: "m.db", found: 3, known: 5), .storedZoneMissing("Asia/Shanghai"),
            .records(RecordFault(line: 2, .notJSON)),
            .postgreSQLNotBuilt, .foreignServerDatabase("postgresql://db.example/mediate"), .backupOnServer,
            .rolesNeedServer, .roleExists("wang"),
            .roleRefused("wang", message: "permission denied to create role"),
            .mergeUnverified, .mergeCollides(units: ["G01", "S1"], logins: ["wang"]),
            .mergeCollides(units: ["G01"], logins: []), .mergeOneTop(2), .mergePolicyDiffers("level"), .mergeColumnsDiffer,
        ]
        + [
            StorageProblem.locked, .readOnly, .corrupt, .full, .cannotOpen, .io(code: 10),
            .other(code: 1, message: "x"), .cannotConnect("timeout expired"),
        ].map { .storage($0, path: "m.db") }

    static let problems: [Problem] = [
        .missingCommand, .needsSubcommand("unit", ["unit add", "unit list"]),
        .unknownCommand("escalte", guess: "escalate"), .unknownCommand("zz", guess: nil),
        .unknownOption("gird", guess: "grid"), .missingValue("reason", "TEXT"), .emptyValue("unit", "CODE"),
        .takesNoValue("oral"), .onlyOnce("grid"), .missingOption("grid", "CODE"),
        .missingArgument(usage: "mediate show CASE [--reveal]"), .unexpectedArgument("x"),
        .notAChoice("to", "nowhere", .of(ReferralTarget.self)), .notACount("limit", 1...100_000),
        .notTogether("month", "from/--to"),
        .oneChangeAtATime("days", "severity"), .twoChanges("level", "severity"), .sayWhatChanges(.severityOrCategory),
        .sayWhatToChange(.policyChange), .fromAfterTo(from: "since", to: "until"), .controlCharacters("summary"),
        .tooLong("summary", count: 4001, limit: 4000), .tooManyMarks("summary", points: 9000, limit: 8000),
        .emptyText("reason"), .badCode(.unitCode, "东 湖"), .badPhone, .badIDNumber, .badParty, .badAmount("1,2"),
        .amountTooLarge("1000000000"), .badDay("until", "2026-02-30"), .badMoment("as-of", "昨天"),
        .badCaseNumber("42"), .badMonth("2026--10"),
        .unknownTerm(.category, "宠物", choices: policy.categories), .badBusyTimeout("soon"), .badNow("昨天"),
        .nowInFuture("2999-01-01"), .notAFilePath(option: "--db", ":memory:"), .notAFilePath(option: nil, ""),
        .notARegularFile(option: "--db", "/dev/null"), .notARegularFile(option: nil, "/dev/null"),
        .noSuchFile("units.csv"), .notAFile("/tmp", .csvFile), .fileTooLarge("big.csv", megabytes: 10),
        .cannotRead("units.csv"), .readFailed("units.csv"), .backupExists("b.db"), .sideFileName("m.db-wal"),
        .notAFolder("/nowhere"), .cannotMakeTempFolder, .stdinTooLong("summary", limit: 4000), .stdinNotUTF8,
        .badRow(line: 2, .notUTF8), .badRow(line: 2, .csv(.quoteInsideUnquotedField)),
        .badRow(line: 2, .csv(.unclosedQuote(openedOnLine: 1))), .badRow(line: 2, .csv(.textAfterClosingQuote)),
        .badRow(line: 2, .columns), .badRow(line: 2, .code("东")), .badRow(line: 2, .name(.emptyText("name"))),
        .badRow(line: 2, .unit(.noSuchUnit("C9"))), .badRow(line: 2, .unit(.unknownTerm(kind: "level", value: "区"))),
        .badRow(line: 2, .unit(.duplicate(kind: "unit", code: "G01"))),
        .badRow(line: 2, .unit(.badParent(unit: "G9", level: level, parent: "S1"))),
        .badRow(line: 2, .unit(.badParent(unit: "G9", level: level, parent: nil))),
        .badRow(line: 2, .unit(.rule(.outsideJurisdiction(unitCode: "C02")))),
        .badRow(line: 2, .unit(.noSuchCase("x"))), .sayWhatChanges(.appliedOrRuling), .refused(.noParties),
        .refused(.extensionNeedsConsent), .unknownZone("Mars/Olympus"), .onStandardInput(.emptyText("text")),
    ]

    static let deskSaid: [DeskSaid] = [
        .listedOf(shown: 20, total: 57), .listedOfMoreThan(shown: 200, cap: 1000), .noFollowUpsDue, .followUpsDue(1), .followUpsDue(3),
        .sweptFollowUp(n, at: "G01", dryRun: true),
        .sweptFollowUp(n, at: "G01", dryRun: false), .followUpLate, .closedEarly("当事人外出"),
        .performance(.partly), .noConfirmWindow, .confirmApplied(day),
    ]

    static let deskHelp: [DeskHelp] = [
        .commandAssign, .commandConfirm, .commandFollowups, .optionAssignTo, .optionApplied, .optionRuling,
        .optionOutcome, .optionEarly, .optionEarlyReason, .optionStates, .optionAll, .optionCategory, .optionSource,
        .optionSince, .optionUntil, .optionParty, .optionText, .optionBreach, .optionSupervised, .optionSort,
        .optionReverse, .optionMine, .optionAssignee, .optionOverdue, .optionFollowUpDue, .optionConfirmWindow,
        .optionLimit, .optionVerbose, .optionFollowupsUnit, .optionBom, .optionWidth, .commandUnitsImport, .optionSeed,
    ]

    static let said: [Said] = [
        .acted(n, .escalate, .open, "C01 东湖社区"), .breach(ceiling: level, left: level),
        .caseHeading(n, "邻里", "一般", .closed), .caseWhere(origin: "G01 东湖一网格", now: "C01 东湖社区", level: "社区"),
        .caseSource("网格排查", ref: "12345-1"), .caseSummary("单车棚被锁"), .bracketed("申请人"), .party("张三"),
        .mediator("李明 (li)"), .breaches(1), .enteredLate(day), .mediatorIs("li"), .severityBecomes("较大"),
        .categoryBecomes("物业"), .breachMark, .extendedUntil("2026-11-20 00:00", "等待报价"),
        .agreement(oral: true, "当日交钥匙"), .agreement(oral: false, "赔偿"), .amount("50.00"),
        .performBy("2026-10-10"), .referredTo("法院", "调解不成"), .supervision("逾期"), .semicolon, .listSeparator,
        .noCasesMatch, .moreParties(5), .listed(1, more: false), .listed(3, more: true),
        .created("m.db", admin: "wang"), .nextStep, .addedUnit("G01", "东湖一网格"), .attachedUnit("S1", parent: "D1"),
        .importedUnits(3),
        .registered("王芳", login: "wang", .gridWorker), .policyChanged, .nothingOverdue,
        .sweptUp(n, from: "G01", to: "C01", dryRun: true), .sweptFlagged(n, at: "C01", dryRun: false),
        .verified(events: 10, cases: 2), .backupFailed("b.db", "坏了"), .backedUp("b.db", events: 10),
        .reportTitle("2026-10", "S1 东湖街道"), .reportScope(period, asOf: "2026-11-01 00:00", zone: "Asia/Shanghai"),
        .reportBalance(3, 1, 2, 0, 0), .againstPrevious(period), .agreementsLine(2, oral: 1, "200.00"),
        .demoDatabase("/tmp/demo.db"), .demoStreet(communities: 3, grids: 12, cases: 300, months: 6, swept: 4),
        .communityName(7), .tryThese, .demoOverdue("C01"),
        .demoFiling(program: "mediate", db: "--db demo.db", grid: "G01"),
    ]

    static let blurbs: [Blurb] = [
        .commandFile, .commandAccept, .commandAssess, .commandEscalate, .commandExtend, .commandResolve,
        .commandReopen, .commandClose, .commandRefer, .commandWithdraw, .commandNote, .commandShow, .commandList,
        .commandReport, .commandSweep, .commandVerify, .commandBackup, .commandInit, .commandUnitAdd,
        .commandUnitAttach, .commandUnitList, .commandUnitsImport, .commandPersonAdd, .commandPersonList,
        .commandPolicyShow,
        .commandPolicySet, .commandDemo, .optionDB, .optionAs, .optionLang, .optionFormat([.text, .csv, .json]),
        .optionHelp, .optionReason, .optionGrid, .optionCategory, .optionSeverity, .optionSource, .optionRef,
        .optionSummary, .optionParty, .optionMediator, .optionNewSeverity, .optionNewCategory, .optionUntil,
        .optionConsent, .optionAgreement, .optionOral, .optionAmount, .optionPerformBy, .optionFollowUp, .optionNote,
        .optionSatisfaction, .optionTo, .optionText, .optionReveal, .optionLevel, .optionUnitBelow,
        .optionSeverityFilter, .optionAssignee, .optionOverdue, .optionLimit, .optionMonth, .optionFrom,
        .optionToDay, .optionUnitOnly, .optionAsOf, .optionDryRun, .optionAdmin, .optionAdminName,
        .optionTimezoneInit, .optionUnitCode, .optionUnitName, .optionUnitLevel, .optionParent, .optionLogin,
        .optionPersonName, .optionRole, .optionPersonUnit, .optionPolicyLevel, .optionDays, .optionPolicySeverity,
        .optionCeiling, .optionTimezone, .optionAddCategory, .optionAddSource, .optionAddLevel, .optionCreateRole,
        .optionZhName, .optionEnName,
        .optionDir, .optionCases, .optionQuiet, .optionCommunities, .optionGrids, .optionMonths, .envDB, .envUser,
        .envNow, .envBusy,
    ]

    static let help: [Help] = [
        .seeHelp("file"), .internalError("x"), .overviewTitle, .usageLine, .commandsHeading, .environmentHeading,
        .startHere, .usagePrefix, .optionsHeading, .required, .repeatable,
    ]

    static let broken: [Verification.Problem] = [
        .integrity("page 3"), .triggersMissing, .gap(eventID: 4), .hash(eventID: 4, caseNumber: "2026-0001"),
        .unreadable(eventID: 4, caseNumber: nil), .snapshot(eventID: 4, caseNumber: "2026-0001"),
        .caseRow(caseNumber: "2026-0001", field: "state"), .noEvents(caseNumber: "2026-0001"),
        .witnessAhead(witness: 20, events: 18), .witnessDiffers(count: 20), .triggerChanged(name: "event_no_update"),
        .administration(table: "person", key: "wang"), .administration(table: "unit", key: "G01"),
        .administration(table: "elsewhere", key: "x"), .tally(unit: "G01", state: "open"),
        .tally(unit: "#9", state: "bogus"),
    ]

    static let policyLines: [[(String, String)]] = [
        [("level", "grid"), ("from_days", "7"), ("to_days", "10")],
        [("severity", "minor"), ("from_ceiling", "grid"), ("to_ceiling", "community")],
        [("timezone_from", ""), ("timezone_to", "Asia/Shanghai")],
        [("table", "category"), ("code", "pets"), ("name_zh", "宠物"), ("name_en", "pets")],
    ]

    static let trustSaid: [TrustSaid] = [
        .witness(Witness(count: 1631, hash: Array(repeating: 0x3f, count: 32))), .tableName("level"),
        .tableName("severity"), .tableName("category"), .tableName("source"), .tableName("setting"),
        .tableName("unit"), .tableName("person"), .tableName("x"), .disabled("wang"), .roleCreated("wang"),
        .upgraded(from: 3, to: 5),
        .upToDate(5), .noAccess, .auditWhen, .auditWho, .auditWhat, .auditWhich, .accessReveal, .accessBackup,
        .accessExport, .sharedWith(group: "mediate"), .groupInPlace("/var/lib/mediate/m.db", group: "mediate"),
        .modelSetgid(group: "mediate"), .protectsSetgid(group: "mediate"), .environmentSetgid(group: "mediate"),
        .modelServer("postgresql://db.example/mediate"),
        .modelSingleUser("m.db", owner: "wang", mode: 0o600), .modelSingleUser("m.db", owner: "wang", mode: nil),
        .protectsSingleUser(owner: "wang"), .officeAdvice, .finding("坏了"), .honestHeading, .honestNothing,
        .wholeDeployment, .honestGrid("G01 东湖一网格", backDated: 3, relabelled: 1), .honestReveals("C01 东湖社区", 2),
        .disabledMark,
    ]
    static let groupProblems: [GroupProblem] = [
        .noSuchGroup("mediate"), .cannotShare("m.db", group: "mediate"),
        .outsideDataFolder("/tmp/x.db", group: "mediate"),
        .folderNotGroups("/var/lib/mediate", group: "mediate"), .fileNotGroups("m.db", group: "mediate"),
        .openToOthers("m.db", mode: 0o644), .missing("m.db"),
    ]
    static let trustProblems: [TrustProblem] = [.badWitness("12:xyz")]
    static let trustRefusals: [TrustRefusal] = [
        .notRegistered("bob"), .notRegistered(nil), .roleNotRegistered("bob"), .wholeViewNeeded("wang"),
        .cannotActAs(caller: "wang", named: "admin"), .cannotActAsOnServer(caller: "li", named: "wang"),
        .backDatingNeedsAdmin(caller: "wang"), .initNeedsRoot,
    ]
    static let trustHelp: [TrustHelp] = [
        .optionWitness, .commandPersonDisable, .optionDisableLogin, .optionDisableReason, .commandPersonCreateRole,
        .optionRoleLogin, .commandAudit, .optionSince,
        .optionAuditPerson, .commandUpgrade, .optionGroup, .commandDoctor, .optionIfVersion,
    ]

    /// Everything above, as things said.
    static var everything: [(String, any Spoken)] {
        var all: [(String, any Spoken)] = []
        all += problems.map { ("Problem", $0) }
        all += violations.map { ("Violation", Refusal(violation: $0, zone: zone)) }
        all += storeErrors.map { ("StoreError", StoreRefusal(error: $0, zone: zone)) }
        all += said.map { ("Said", $0) }
        all += blurbs.map { ("Blurb", $0) }
        all += help.map { ("Help", $0) }
        all += Label.allCases.map { ("Label", $0) }
        all += Noun.allCases.map { ("Noun", $0) }
        all += broken.map { ("Broken", Broken($0)) }
        all += policyLines.map { ("PolicyChangeLine", PolicyChangeLine($0, Names(policy: policy, lang: .zh))) }
        all += [("PeriodName", period)]
        all += trustSaid.map { ("TrustSaid", $0) } + trustProblems.map { ("TrustProblem", $0) }
        all += trustRefusals.map { ("TrustRefusal", $0) } + trustHelp.map { ("TrustHelp", $0) }
        all += groupProblems.map { ("GroupProblem", $0) }
        all += CaseState.allCases.map { ("CaseState", $0) } + ActionKind.allCases.map { ("ActionKind", $0) }
        all += Role.allCases.map { ("Role", $0) } + Satisfaction.allCases.map { ("Satisfaction", $0) }
        all += ReferralTarget.allCases.map { ("ReferralTarget", $0) } + PartyRole.allCases.map { ("PartyRole", $0) }
        all += deskSaid.map { ("DeskSaid", $0) } + deskHelp.map { ("DeskHelp", $0) }
        all += DeskLabel.allCases.map { ("DeskLabel", $0) } + [("DeskProblem", DeskProblem.noDatabasePath)]
        all += Performance.allCases.map { ("Performance", $0) } + Ruling.allCases.map { ("Ruling", $0) }
        all += Store.CaseFilter.Sort.allCases.map { ("Sort", $0) }
        all += recordsEverything
        all += MigrateHelp.allCases.map { ("MigrateHelp", $0) }
        let server = "postgresql://db.example/mediate"
        all += [("MigrateSaid", MigrateSaid.moved(to: server, cases: 3, events: 40, witness: "40:0123abcd"))]
        all += [
            (
                "MigrateSaid",
                MigrateSaid.merged(
                    into: server, street: "S2", cases: 3, events: 40, witness: "40:0123abcd", renumbered: 3)
            )
        ]
        all += [MigrateProblem.notAServer("m.db"), .targetNotEmpty(server)].map { ("MigrateProblem", $0) }
        all += [MigrateProblem.Difference.witness, .report, .verify].map {
            ("MigrateProblem", MigrateProblem.copyDiffers(server, what: $0))
        }
        all += [("MigrateProblem", MigrateProblem.districtUnverified(server))]
        all += [MigrateProblem.Difference.witness, .report, .verify].map {
            ("MigrateProblem", MigrateProblem.mergeCheckFailed(server, street: "S2", what: $0))
        }
        return all
    }

    /// The English words of the code lists: the states, actions, roles and other closed
    /// lists, and the default levels, severities, categories and sources.
    static let codeWords: Set<String> = {
        var words = Set<String>()
        words.formUnion(CaseState.allCases.map(\.code))
        words.formUnion(ActionKind.allCases.map(\.code))
        words.formUnion(Role.allCases.map(\.code))
        words.formUnion(Satisfaction.allCases.map(\.code))
        words.formUnion(ReferralTarget.allCases.map(\.code))
        words.formUnion(PartyRole.allCases.map(\.code))
        words.formUnion(Performance.allCases.map(\.code))
        words.formUnion(Ruling.allCases.map(\.code))
        words.formUnion(["grid", "community", "street", "minor", "major", "critical", "overdue", "breach"])
        words.formUnion(["patrol", "application", "initiative", "hotline", "neighbour", "family", "property"])
        return words
    }()

    /// The Chinese text with what a person types left out: quoted commands and values
    /// ('mediate refer'), option names (--to), and a code shown in brackets after its
    /// name so that people know what to type (一般（minor）).
    static func prose(_ text: String) -> String {
        // A command line shown to copy is what a person types, not prose.
        let text = text.replacingOccurrences(of: #"mediate [a-z]+"#, with: "mediate", options: .regularExpression)
        var out = ""
        var quoted = false
        var bracket: String? = nil
        var option = false
        for ch in text {
            if let b = bracket {
                if ch == "）" {
                    // A code in brackets right after its Chinese name tells what to type; any
                    // other ASCII in brackets is prose, and is checked.
                    let afterName = out.last.map { !$0.isASCII } ?? false
                    if !(b.allSatisfy(\.isASCII) && afterName) { out += "（" + prose(b) + "）" }
                    bracket = nil
                } else {
                    bracket = b + String(ch)
                }
                continue
            }
            if ch == "'" || ch == "\"" {
                quoted.toggle()
                continue
            }
            if quoted { continue }
            if ch == "（" {
                bracket = ""
                continue
            }
            if ch == "-" && out.hasSuffix("-") { option = true }
            if option {
                if ch.isLetter || ch == "-" { continue }
                option = false
            }
            out.append(ch)
        }
        return out
    }

    @Test func everyMessageRendersInBothLanguagesWithoutEnglishCodesInChinese() {
        for (kind, message) in Self.everything {
            #expect(!message.zh.isEmpty && !message.en.isEmpty, "\(kind): \(message.en)")
            let words = Self.prose(message.zh).split { !($0.isASCII && ($0.isLetter || $0 == "_")) }.map(String.init)
            let leaked = words.filter { Self.codeWords.contains($0) }
            #expect(leaked.isEmpty, "\(kind) says \(leaked) in Chinese: \(message.zh)")
        }
    }

    /// The cases each catalogue declares, read from its source file.
    static func declaredCases() throws -> [String: Set<String>] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var found: [String: Set<String>] = [:]
        let files =
            [
                "Sources/MediateCLI/Catalogue/Problems.swift", "Sources/MediateCLI/Catalogue/Said.swift",
                "Sources/MediateCLI/Catalogue/Help.swift", "Sources/MediateCLI/Catalogue/Words.swift",
                "Sources/MediateCore/Rules/Violation.swift", "Sources/MediateStore/StoreError.swift",
                "Sources/MediateStore/StorageProblem.swift", "Sources/MediateStore/Store+Verify.swift",
                "Sources/MediateCLI/Catalogue/DeskWords.swift", "Sources/MediateCLI/Catalogue/Trust.swift",
            ] + recordsFiles
        for file in files {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            var current: String? = nil
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                let t = line.trimmingCharacters(in: .whitespaces)
                if let r = t.range(of: #"enum (\w+)"#, options: .regularExpression), !t.hasPrefix("//") {
                    current = (file.hasSuffix("Store+Verify.swift") ? "Verification." : "") + String(t[r].dropFirst(5))
                    continue
                }
                if t.hasPrefix("var ") || t.hasPrefix("public var ") || t.hasPrefix("init") { current = nil }
                guard let name = current, t.hasPrefix("case ") || t.hasPrefix("indirect case "),
                    !t.contains("case ."), !t.hasSuffix(":")
                else { continue }
                var depth = 0
                var piece = ""
                var names: [String] = []
                for ch in t.drop(while: { $0 != " " }).dropFirst() {
                    if ch == "(" { depth += 1 }
                    if ch == ")" { depth -= 1 }
                    if ch == "," && depth == 0 {
                        names.append(piece)
                        piece = ""
                    } else {
                        piece.append(ch)
                    }
                }
                names.append(piece)
                for n in names {
                    let id = n.trimmingCharacters(in: .whitespaces).prefix { $0.isLetter || $0.isNumber }
                    if !id.isEmpty && id != "case" { found[name, default: []].insert(String(id)) }
                }
            }
        }
        return found
    }

    static func label(_ value: Any) -> String {
        Mirror(reflecting: value).children.first?.label ?? String(describing: value)
    }

    @Test func everyCaseOfEveryCatalogueHasAnExampleHere() throws {
        let declared = try Self.declaredCases()
        let covered: [String: Set<String>] = [
            "Problem": Set(Self.problems.map(Self.label)),
            "RowProblem": Set(
                Self.problems.compactMap { if case .badRow(_, let r) = $0 { Self.label(r) } else { nil } }),
            "Noun": Set(Noun.allCases.map(Self.label)), "Said": Set(Self.said.map(Self.label)),
            "Blurb": Set(Self.blurbs.map(Self.label)), "Help": Set(Self.help.map(Self.label)),
            "Label": Set(Label.allCases.map(Self.label)), "Violation": Set(Self.violations.map(Self.label)),
            "StoreError": Set(Self.storeErrors.map(Self.label)),
            "StorageProblem": Set(
                Self.storeErrors.compactMap { if case .storage(let p, _) = $0 { Self.label(p) } else { nil } }),
            "Verification.Problem": Set(Self.broken.map(Self.label)),
            "DeskSaid": Set(Self.deskSaid.map(Self.label)), "DeskHelp": Set(Self.deskHelp.map(Self.label)),
            "DeskLabel": Set(DeskLabel.allCases.map(Self.label)), "DeskProblem": ["noDatabasePath"],
            "TrustSaid": Set(Self.trustSaid.map(Self.label)), "TrustProblem": Set(Self.trustProblems.map(Self.label)),
            "TrustRefusal": Set(Self.trustRefusals.map(Self.label)), "TrustHelp": Set(Self.trustHelp.map(Self.label)),
            "GroupProblem": Set(Self.groupProblems.map(Self.label)),
        ].merging(Self.recordsCovered) { a, _ in a }
        #expect(declared.keys.contains("TrustSaid") && declared.keys.contains("TrustRefusal"))
        #expect(declared.keys.contains("Said") && declared.keys.contains("Violation"))
        for (name, cases) in declared where covered[name] != nil {
            let missing = cases.subtracting(covered[name]!)
            #expect(missing.isEmpty, "\(name) has no example of \(missing.sorted())")
        }
        #expect(declared["Verification.Problem"]?.count == 13)
    }

    @Test func theReportHeadingsAndTheCSVAreInTheUsersLanguage() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        _ = try s.file()
        let csv = try s.run(["report", "--month", "2026-10", "--format", "csv", "--lang", "zh"])
        let header = csv.stdout.split(separator: "\r\n").first.map(String.init) ?? ""
        #expect(header.hasPrefix("类型,代码,名称,登记,化解,化解率,网格内化解"), "\(header)")
        #expect(header.contains("化解天数中位数"))
        #expect(csv.stdout.contains("网格,G01,东湖一网格,1,"))
        #expect(csv.stdout.contains("上期,,2026-09,"))
        let text = try s.run(["report", "--month", "2026-10", "--lang", "zh"]).stdout
        #expect(text.contains("2026年10月1日至10月31日"), "\(text)")
        #expect(text.contains("与上期（2026年9月1日至9月30日）比较"))
        #expect(!text.contains("2026-11-01 00:00 登记"))
        let en = try s.ok("report", "--month", "2026-10")
        #expect(en.contains("Cases registered 1–31 October 2026"))
        #expect(en.contains("Against the previous period (1–30 September 2026)"))
    }
}
