using Google.Protobuf.Reflection;
using Runtime.Contracts.V1;

namespace Runtime.Server.Tests.Contract;

/// <summary>Every runtime.v1 service and method the contracts define, from the generated descriptors.</summary>
public static class ContractDescriptors
{
    /// <summary>All runtime.v1 services, by full name.</summary>
    public static IReadOnlyDictionary<string, ServiceDescriptor> Services { get; } =
        typeof(RuntimeDriverService).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Reflection", StringComparison.Ordinal) && t.Namespace == "Runtime.Contracts.V1")
            .Select(t => (FileDescriptor)t.GetProperty("Descriptor")!.GetValue(null)!)
            .SelectMany(f => f.Services)
            .ToDictionary(s => s.FullName);

    /// <summary>All runtime.v1 methods, by <c>package.Service/Method</c>.</summary>
    public static IReadOnlyDictionary<string, MethodDescriptor> Methods { get; } =
        Services.Values.SelectMany(s => s.Methods).ToDictionary(m => $"{m.Service.FullName}/{m.Name}");
}
