namespace VirtualItCompany.DependencyInjection;

/// <summary>The company records its models' calls to <paramref name="Path"/>, or (<paramref name="Replay"/>) answers them from it.</summary>
internal sealed record ModelCallRecording(string Path, bool Replay);
