import Testing

/// The suites that run the real `bookedbarber` executable (and the load generator) as child
/// processes. They run one at a time: each can keep both cores busy for seconds (a load run,
/// slow bcrypt, a crash loop), and side by side they would starve each other's servers.
@Suite(.serialized) struct RealProcessTests {}
