import Hummingbird
import LabDomain

extension APIError {
    /// The one place where the domain's errors become HTTP statuses.
    init(_ error: LabError) {
        self.init(Self.status(of: error), error.message)
    }

    static func status(of error: LabError) -> HTTPResponse.Status {
        switch error {
        case .notFound: .notFound
        case .invalid: .badRequest
        case .conflict: .conflict
        case .faultsLocked: .init(code: 423, reasonPhrase: "Locked")
        case .unavailable: .serviceUnavailable
        case .serviceRefused: .badGateway
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .failed: .internalServerError
        }
    }
}

extension APIError {
    /// Any error as the API answers it: the domain's by its case, the API's as it is, anything
    /// else as a 500 that names it.
    init(answering error: any Error) {
        switch error {
        case let error as APIError: self = error
        case let error as LabError: self.init(error)
        default: self.init(.internalServerError, "internal error: \(error)")
        }
    }
}
