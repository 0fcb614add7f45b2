using PackageSnippets;

// Runs, offline, every README snippet that can run outside a test project, each against the packed package it shows.
// A snippet that fails throws, and the program exits with an error.
Console.WriteLine("VirtualItCompany.Abstractions: " + AbstractionsSnippets.Run());
Console.WriteLine("VirtualItCompany.Lifecycle: " + LifecycleSnippets.Run());
Console.WriteLine("VirtualItCompany.Providers.Offline: " + await OfflineSnippets.RunAsync());
Console.WriteLine("VirtualItCompany.Providers.OpenAI: " + await ProviderSnippets.RunOpenAIAsync());
Console.WriteLine("VirtualItCompany.Providers.Anthropic: " + await ProviderSnippets.RunAnthropicAsync());
Console.WriteLine("VirtualItCompany.Providers.Ollama: " + await ProviderSnippets.RunOllamaAsync());
Console.WriteLine("VirtualItCompany.Routing: " + await RoutingSnippets.RunAsync());
Console.WriteLine("VirtualItCompany.Testing: " + await TestingSnippets.RunAsync());
Console.WriteLine("VirtualItCompany.Storage.Sqlite: " + await SqliteSnippets.RunAsync());
Console.WriteLine("VirtualItCompany.Storage.PostgreSql: " + await PostgreSqlSnippets.RunAsync());
Console.WriteLine("VirtualItCompany: " + await CompanySnippets.RunAsync());
Console.WriteLine("README, many models routed by cost: " + await CompanySnippets.RunManyModelsAsync());
Console.WriteLine("README, record once and replay in CI: " + await RecordReplaySnippets.RunAsync());
Console.WriteLine("README, local models: " + await RecordReplaySnippets.LocalModelAsync());
return 0;
