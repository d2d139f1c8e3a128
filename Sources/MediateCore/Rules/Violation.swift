/// Why the rules refuse an action. The command line turns each into one sentence
/// (what is not allowed, and what to do instead) in the user's language.
public enum Violation: Error, Equatable, Sendable {
    /// The action cannot start from the case's state.
    case wrongState(ActionKind, CaseState)
    /// The actor's role never does this action.
    case roleCannot(Role, ActionKind)
    /// The case (or the grid to file at) lies outside the actor's unit.
    case outsideJurisdiction(unitCode: String)
    /// Grid workers act only on cases at the lowest level.
    case aboveGridWorker(levelRank: Int)
    /// The case is at the top of the ladder: refer it instead.
    case atTopLevel
    /// Cases are filed at the lowest level only.
    case notAGrid(unitCode: String)
    /// A new event may not take effect before the case's last one.
    case beforeLastEvent(lastEventAt: Int64)
    /// `assess` that changes neither severity nor category.
    case nothingToAssess
    /// `extend` to a date not later than the current due date or the present moment.
    case extensionNotLater(dueAt: Int64)
    /// The person to assign cannot take this case.
    case cannotAssign(login: String)
    /// A required text (reason, note, agreement) is empty.
    case emptyText(field: String)
    /// Only an admin sets up units, people and policy.
    case adminOnly
    /// A case without parties.
    case noParties
    /// More parties than a case may have (`Case.parties`).
    case tooManyParties(count: Int)
    /// An agreement to be performed before the day it was reached.
    case performByBeforeAgreement(performBy: Day, agreedOn: Day)
    /// A follow-up set before the day of the agreement.
    case followUpBeforeAgreement(followUp: Day, agreedOn: Day)
    /// An extension without both parties' consent.
    case extensionNeedsConsent
    /// A login that is the system's own (the daily sweep's).
    case reservedLogin(String)
    /// An action that would take effect after the moment it is entered.
    case effectiveInFuture(Int64)
    /// Closing before the agreement's perform-by day without saying why (`--early`).
    case closeBeforePerformBy(performBy: Day)
    /// Judicial confirmation of an oral agreement, or of a case without one.
    case confirmNeedsWrittenAgreement
    /// An application for judicial confirmation outside the 30 days after the agreement.
    case outsideConfirmWindow(applied: Day, agreedOn: Day, lastDay: Day)
    /// A ruling recorded before any application.
    case rulingBeforeApplication
    /// A second application or ruling where one is recorded.
    case confirmAlreadyRecorded
    /// The person to assign a follow-up to cannot close the case.
    case cannotTakeFollowUp(login: String)
    /// Street-wide policy and the time zone are set by an admin of the whole street,
    /// not by one whose unit lies below it.
    case streetAdminOnly

    /// A refusal of a value the person typed (a date, a flag left out, a count), as
    /// opposed to a refusal of the action itself: the command line answers it as a
    /// usage error and points at the command's help.
    public var isAboutInput: Bool {
        switch self {
        case .noParties, .tooManyParties, .performByBeforeAgreement, .followUpBeforeAgreement,
            .extensionNeedsConsent, .reservedLogin, .effectiveInFuture, .closeBeforePerformBy, .outsideConfirmWindow:
            true
        default: false
        }
    }
}
