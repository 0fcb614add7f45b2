using Microsoft.Extensions.AI;

namespace VirtualItCompany;

/// <summary>A model the company may use: its profile, and how to create its client. Provider packages add these with <c>AddModel</c>.</summary>
/// <param name="Profile">What the model costs and can do.</param>
/// <param name="CreateClient">Creates the model's chat client (once, when the company starts).</param>
public sealed record ModelRegistration(ModelProfile Profile, Func<IServiceProvider, IChatClient> CreateClient);
