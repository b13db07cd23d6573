import BookingCore

extension ShopEngine {
    /// A new service; `barberIDs` nil means every barber, present and future.
    public func createService(name: String, durationMinutes: Int, priceCents: Int, barberIDs: [BarberID]?)
        async throws(BookingError) -> Service
    {
        let service = Service(
            id: ids.service.next(), name: name, durationMinutes: durationMinutes, priceCents: priceCents, isActive: true,
            barberIDs: barberIDs)
        return try await save { registry in .success(service) }
    }

    /// Applies `edit` to a service and stores it if still valid; read, edit and store in one turn.
    public func updateService(_ id: ServiceID, _ edit: @escaping @Sendable (inout Service) -> Void) async throws(BookingError) -> Service {
        try await save { registry in
            guard var service = registry.services[id] else { return .failure(.notFound("service \(id) not found")) }
            edit(&service)
            service.id = id
            return .success(service)
        }
    }

    /// Stores the service `make` returns, after checking its fields and that its barbers exist.
    private func save(_ make: @escaping @Sendable (ShopRegistry) -> Result<Service, BookingError>) async throws(BookingError) -> Service {
        try await commitShopWide { registry in
            make(registry).flatMap { service -> Result<([ShopChange], Service), BookingError> in
                var service = service
                service.barberIDs = service.barberIDs.map { Array(Set($0)).sorted() }
                if let problem = service.validate() { return .failure(problem) }
                if let unknown = service.barberIDs?.first(where: { !registry.barberIDs.contains($0) }) {
                    return .failure(.validationFailed("barber \(unknown) does not exist"))
                }
                return .success(([.registry(.serviceSaved(service))], service))
            }
        }
    }

    func service(_ id: ServiceID) throws(BookingError) -> Service {
        guard let service = catalog.services[id] else { throw .notFound("service \(id) not found") }
        return service
    }
}
