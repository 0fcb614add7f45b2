namespace VirtualItCompany.WebHost.BrowserTests;

/// <summary>One web host and one browser for every browser test (starting Chromium and the host costs seconds).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserHost>
{
    public const string Name = "browser";
}
