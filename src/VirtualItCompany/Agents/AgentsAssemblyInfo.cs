using System.Runtime.CompilerServices;

// The offline model's tests check that its structured answers deserialize into the agents' response types.
[assembly: InternalsVisibleTo("VirtualItCompany.Providers.Offline.Tests")]
