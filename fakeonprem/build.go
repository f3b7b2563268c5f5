package fakeonprem

// ExchangeBuild is the Exchange Server build the organization simulates:
// Exchange Server 2016 CU22, 15.01.2375.007, the build of the real logs the
// project's samples come from (docs/rules.md, sources). It shows in the
// Received headers the servers write.
const ExchangeBuild = "15.1.2375.7"
