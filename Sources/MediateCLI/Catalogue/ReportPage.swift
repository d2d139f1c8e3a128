/// The words of the report's HTML page and its charts.
enum ReportPageWords: Spoken, CaseIterable {
    case perGridChart, perCommunityChart, againstPreviousChart, inGridShare, breaches, registered, resolved
    case thisPeriod, previousPeriod, figuresTable, noGrids

    var zh: String {
        switch self {
        case .perGridChart: "各网格登记与化解"
        case .perCommunityChart: "各社区网格内化解占比（小事不出网格）与违规上报"
        case .againstPreviousChart: "本期与上期对比"
        case .inGridShare: "网格内化解占比"
        case .breaches: "违规上报"
        case .registered: "登记"
        case .resolved: "化解"
        case .thisPeriod: "本期"
        case .previousPeriod: "上期"
        case .figuresTable: "统计表"
        case .noGrids: "没有网格"
        }
    }

    var en: String {
        switch self {
        case .perGridChart: "Registered and resolved, per grid"
        case .perCommunityChart: "Share resolved inside the grid (小事不出网格) and breaches, per community"
        case .againstPreviousChart: "This period against the previous one"
        case .inGridShare: "resolved in the grid"
        case .breaches: "breaches"
        case .registered: "registered"
        case .resolved: "resolved"
        case .thisPeriod: "this period"
        case .previousPeriod: "previous period"
        case .figuresTable: "Figures"
        case .noGrids: "no grids"
        }
    }
}
