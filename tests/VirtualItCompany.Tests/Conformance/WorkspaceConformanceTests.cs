using VirtualItCompany.Testing.Conformance.Workspace;

namespace VirtualItCompany.Tests.Conformance;

// One subclass per workspace suite and implementation: the guard (ConformanceGuard) fails when one is missing.
public sealed class InMemoryWorkspaceProviderTests : WorkspaceProviderConformanceTests<InMemoryWorkspaceFixture>;

public sealed class InMemoryWorkspaceFileTests : WorkspaceFileConformanceTests<InMemoryWorkspaceFixture>;

public sealed class InMemoryWorkspacePathTests : WorkspacePathConformanceTests<InMemoryWorkspaceFixture>;

public sealed class InMemoryWorkspaceCommitTests : WorkspaceCommitConformanceTests<InMemoryWorkspaceFixture>;

public sealed class LocalWorkspaceProviderTests : WorkspaceProviderConformanceTests<LocalWorkspaceFixture>;

public sealed class LocalWorkspaceFileTests : WorkspaceFileConformanceTests<LocalWorkspaceFixture>;

public sealed class LocalWorkspacePathTests : WorkspacePathConformanceTests<LocalWorkspaceFixture>;

public sealed class LocalWorkspaceCommitTests : WorkspaceCommitConformanceTests<LocalWorkspaceFixture>;
