import Mustache

// The models of the booking path's pages (the shared frame, `/`, `/book` and the waitlist form
// on `/`) answer the templates' lookups by name themselves: swift-mustache's `MustacheParent`.
// Without it each `{{name}}` builds a `Mirror` of the model and filters all its fields (three
// quarters of the booking page's render time in `bench/profile.sh page`). Every stored property
// is answered under its own name, as the Mirror would: `PageModelLookupTests` checks that for each
// of these types, so a field added to a model and not here fails a test instead of rendering
// blank.

extension PageFrame: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "title": return title
        case "shopName": return shopName
        case "stylesheet": return stylesheet
        case "icon": return icon
        case "scripts": return scripts
        case "signedIn": return signedIn
        case "userName": return userName
        case "isClient": return isClient
        case "isBarber": return isBarber
        case "isAdmin": return isAdmin
        case "csrf": return csrf
        case "onBook": return onBook
        case "onMe": return onMe
        case "onBarber": return onBarber
        case "onAdmin": return onAdmin
        case "onLogin": return onLogin
        case "isStaff": return isStaff
        case "onClients": return onClients
        case "onAnalytics": return onAnalytics
        case "onQueue": return onQueue
        default: return nil
        }
    }
}

extension PageFrame.Script: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "src": return src
        default: return nil
        }
    }
}

extension WebRoutes.BookModel: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "frame": return frame
        case "services": return services
        case "barbers": return barbers
        case "anySelected": return anySelected
        case "days": return days
        case "dayLabel": return dayLabel
        case "groups": return groups
        case "noTimes": return noTimes
        case "noServices": return noServices
        case "timeZone": return timeZone
        case "showWaitlist": return showWaitlist
        case "waitlist": return waitlist
        case "waitlistSignIn": return waitlistSignIn
        case "holdMinutes": return holdMinutes
        default: return nil
        }
    }
}

extension WebRoutes.BookModel.ServiceOption: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "id": return id
        case "name": return name
        case "duration": return duration
        case "price": return price
        case "checked": return checked
        default: return nil
        }
    }
}

extension WebRoutes.BookModel.BarberOption: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "value": return value
        case "name": return name
        case "selected": return selected
        default: return nil
        }
    }
}

extension WebRoutes.BookModel.DayOption: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "value": return value
        case "label": return label
        case "hasRoom": return hasRoom
        case "checked": return checked
        case "roomText": return roomText
        default: return nil
        }
    }
}

extension WebRoutes.BookModel.TimeGroup: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "label": return label
        case "times": return times
        default: return nil
        }
    }
}

extension WebRoutes.BookModel.TimeLink: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "href": return href
        case "label": return label
        case "barberName": return barberName
        case "showBarber": return showBarber
        default: return nil
        }
    }
}

extension WebRoutes.ConfirmModel: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "frame": return frame
        case "serviceID": return serviceID
        case "barberID": return barberID
        case "start": return start
        case "anyBarber": return anyBarber
        case "serviceName": return serviceName
        case "barberName": return barberName
        case "day": return day
        case "time": return time
        case "duration": return duration
        case "price": return price
        case "signedIn": return signedIn
        case "userName": return userName
        case "problem": return problem
        case "hasProblem": return hasProblem
        case "alternatives": return alternatives
        case "hasAlternatives": return hasAlternatives
        case "notes": return notes
        case "loginEmail": return loginEmail
        case "loginPassword": return loginPassword
        case "name": return name
        case "email": return email
        case "phone": return phone
        case "password": return password
        case "backHref": return backHref
        default: return nil
        }
    }
}

extension WebRoutes.ConfirmModel.Field: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "value": return value
        case "error": return error
        case "hasError": return hasError
        default: return nil
        }
    }
}

extension WebRoutes.WaitlistFormModel: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "csrf": return csrf
        case "services": return services
        case "barbers": return barbers
        case "anySelected": return anySelected
        case "today": return today
        case "service": return service
        case "barber": return barber
        case "dateFrom": return dateFrom
        case "dateTo": return dateTo
        case "timeFrom": return timeFrom
        case "timeTo": return timeTo
        default: return nil
        }
    }
}

extension WebRoutes.WaitlistFormModel.Option: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "value": return value
        case "name": return name
        case "selected": return selected
        default: return nil
        }
    }
}
