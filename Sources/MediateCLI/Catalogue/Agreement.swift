import MediateCore

/// Help of `mediate agreement` and of the agreement's options of `resolve`.
enum AgreementHelp: Spoken, CaseIterable {
    case command, facts, responsibility

    var zh: String {
        switch self {
        case .command: "打印已调解成功案件的人民调解协议书（口头协议打印登记记录）；--format html 适合 A4 打印"
        case .facts: "写入协议书的纠纷主要事实和争议事项"
        case .responsibility: "写入协议书的各方当事人责任"
        }
    }

    var en: String {
        switch self {
        case .command:
            "print the written mediation agreement of a resolved case (the record of an oral one); --format html for A4"
        case .facts: "the main facts and the points in dispute, for the written agreement"
        case .responsibility: "each party's responsibility, for the written agreement"
        }
    }
}

/// The words of the agreement (人民调解协议书, People's Mediation Law Arts. 29, 30, 33).
enum AgreementWords: Spoken {
    case title
    case oralTitle
    case number(String)
    case party(role: String, name: String)
    case sex
    case male
    case female
    case born
    case bornOn(Day, age: Int)
    case idNumber
    case address
    case phone
    case facts
    case responsibility
    case agreedIntro
    case amount(String)
    case performance
    case performBy(Day)
    case copies(Int)
    case confirmation
    case oralEffect
    case partySignature
    case mediatorSignature(String)
    case seal(String)
    case committee(String)
    case recordedOn(Day)
    case date(Day)
    case blank

    var zh: String {
        switch self {
        case .title: "人民调解协议书"
        case .oralTitle: "口头调解协议登记"
        case .number(let n): "编号：\(n)"
        case .party(let role, let name): "当事人（\(role)）：\(name)"
        case .sex: "性别"
        case .male: "男"
        case .female: "女"
        case .born: "出生日期或年龄"
        case .bornOn(let day, let age): "\(day.year)年\(day.month)月\(day.day)日（\(age)岁）"
        case .idNumber: "身份证号"
        case .address: "住址"
        case .phone: "联系方式"
        case .facts: "纠纷主要事实、争议事项："
        case .responsibility: "各方当事人的责任："
        case .agreedIntro: "经本委员会调解，各方当事人自愿达成如下协议："
        case .amount(let yuan): "协议金额：人民币 \(yuan) 元。"
        case .performance: "履行方式、时限："
        case .performBy(let day): "按上述约定履行，于 \(day.year)年\(day.month)月\(day.day)日前履行完毕。"
        case .copies(let n): "本协议一式\(Self.number(n))份，当事人各执一份，人民调解委员会留存一份。"
        case .confirmation: "本协议经各方当事人签名、人民调解员签名并加盖人民调解委员会印章后生效。当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认（《中华人民共和国人民调解法》第三十三条）。"
        case .oralEffect: "口头调解协议自各方当事人达成协议之日起生效（《中华人民共和国人民调解法》第三十条）。本委员会记录在案。"
        case .partySignature: "当事人（签名）："
        case .mediatorSignature(let name): "人民调解员（签名）：__________（\(name)）"
        case .seal(let committee): "\(committee)（印章）"
        case .committee(let unit): "\(unit)人民调解委员会"
        case .recordedOn(let day): "登记日期：\(day.year)年\(day.month)月\(day.day)日"
        case .date(let day): "\(day.year)年\(day.month)月\(day.day)日"
        case .blank: "________"
        }
    }

    var en: String {
        switch self {
        case .title: "People's Mediation Agreement"
        case .oralTitle: "Record of an Oral Mediation Agreement"
        case .number(let n): "No. \(n)"
        case .party(let role, let name): "Party (\(role)): \(name)"
        case .sex: "sex"
        case .male: "male"
        case .female: "female"
        case .born: "date of birth or age"
        case .bornOn(let day, let age): "\(day) (aged \(age))"
        case .idNumber: "ID number"
        case .address: "address"
        case .phone: "contact"
        case .facts: "Main facts of the dispute and the points in dispute:"
        case .responsibility: "Each party's responsibility:"
        case .agreedIntro: "Mediated by this committee, the parties have freely agreed as follows:"
        case .amount(let yuan): "Amount agreed: \(yuan) yuan."
        case .performance: "How and by when it is performed:"
        case .performBy(let day): "As agreed above, performed in full by \(day)."
        case .copies(let n): "This agreement is made in \(n) copies: one for each party and one kept by the committee."
        case .confirmation:
            "It takes effect when the parties and the mediator have signed it and the committee has sealed it. The parties may jointly apply to a people's court for judicial confirmation within 30 days of that (People's Mediation Law, Art. 33)."
        case .oralEffect:
            "An oral agreement takes effect on the day the parties reach it (People's Mediation Law, Art. 30). The committee keeps this record of it."
        case .partySignature: "Parties (signatures):"
        case .mediatorSignature(let name): "Mediator (signature): __________ (\(name))"
        case .seal(let committee): "\(committee) (seal)"
        case .committee(let unit): "People's Mediation Committee of \(unit)"
        case .recordedOn(let day): "Recorded on \(day)"
        case .date(let day): "\(day)"
        case .blank: "________"
        }
    }

    /// 一, 二, 三 … for the copies, as such documents write them.
    static func number(_ n: Int) -> String {
        let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        if n < 10 { return digits[n] }
        if n < 20 { return "十" + (n % 10 == 0 ? "" : digits[n % 10]) }
        if n < 100 { return digits[n / 10] + "十" + (n % 10 == 0 ? "" : digits[n % 10]) }
        return String(n)
    }
}

/// Why a case has no agreement to print.
enum AgreementProblem: Error, Spoken, Equatable {
    case notResolved(String, CaseState)

    var zh: String {
        switch self {
        case .notResolved(let n, let state):
            "案件 \(n) 处于「\(state.zh)」，没有调解协议：只有调解成功（已化解或已结案）的案件才能打印协议书。"
        }
    }
    var en: String {
        switch self {
        case .notResolved(let n, let state):
            "Case \(n) is \(state.en) and has no agreement: only a resolved (or closed) case has one to print."
        }
    }
}
