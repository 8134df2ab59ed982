using System.Reflection;
using Google.Protobuf.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Runtime.Contracts.V1;
using Runtime.Server.Security;
using Runtime.Server.Security.Startup;

namespace Runtime.Server.Tests.Security;

public sealed class MethodAccessTableTests
{
    /// <summary>Every runtime.v1 service in the contracts assembly, found by reflection so new protos are included.</summary>
    public static IReadOnlyList<Google.Protobuf.Reflection.ServiceDescriptor> RuntimeServices { get; } = typeof(AccessService).Assembly.GetTypes()
        .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static))
        .Where(p => p?.PropertyType == typeof(FileDescriptor))
        .Select(p => (FileDescriptor)p!.GetValue(null)!)
        .Where(f => f.Package == "runtime.v1")
        .SelectMany(f => f.Services)
        .ToList();

    [Fact]
    public void Every_method_of_every_runtime_v1_service_declares_exactly_one_access()
    {
        var methods = RuntimeServices.SelectMany(s => s.Methods).Select(m => $"{m.Service.FullName}/{m.Name}").ToList();

        Assert.Contains("runtime.v1.RuntimeDriverService/AcceptInput", methods);
        Assert.Contains("runtime.v1.AccessService/WhoAmI", methods);
        var undeclared = methods.Where(m => MethodAccessTable.Find(m) is null).ToList();
        Assert.True(undeclared.Count == 0, $"methods without a declared scope: {string.Join(", ", undeclared)}");
    }

    [Fact]
    public void Declared_methods_of_services_that_exist_exist_too()
    {
        var known = RuntimeServices.ToDictionary(s => s.FullName, s => s.Methods.Select(m => m.Name).ToHashSet());

        var stale = MethodAccessTable.Methods.Keys
            .Select(name => name.Split('/'))
            .Where(parts => known.TryGetValue(parts[0], out var methods) && !methods.Contains(parts[1]))
            .Select(parts => string.Join('/', parts));

        Assert.Empty(stale);
    }

    [Theory]
    [InlineData("runtime.v1.RuntimeDriverService/AcceptInput", Access.Ingest)]
    [InlineData("runtime.v1.RuntimeDriverService/GetInputState", Access.Ingest)]
    [InlineData("runtime.v1.ObservationService/Subscribe", Access.Observe)]
    [InlineData("runtime.v1.RuntimeControlPlaneService/WatchRuntimeEvents", Access.Observe)]
    [InlineData("runtime.v1.RuntimeControlPlaneService/GetRuntime", Access.Observe)]
    [InlineData("runtime.v1.RuntimeControlPlaneService/CreateRuntime", Access.Admin)]
    [InlineData("runtime.v1.RuntimeControlPlaneService/PublishEvent", Access.Admin)]
    [InlineData("runtime.v1.RuntimeControlPlaneService/ResetRuntime", Access.Admin)]
    [InlineData("runtime.v1.TransportService/ListDestinations", Access.Observe)]
    [InlineData("runtime.v1.TransportService/CreateDestination", Access.Admin)]
    [InlineData("runtime.v1.AnalyticsService/GetStats", Access.Observe)]
    [InlineData("runtime.v1.AnalyticsService/SetFilter", Access.Admin)]
    [InlineData("runtime.v1.AccessService/ListApiKeys", Access.Admin)]
    [InlineData("runtime.v1.AccessService/WhoAmI", Access.Authenticated)]
    [InlineData("grpc.health.v1.Health/Check", Access.Anonymous)]
    [InlineData("grpc.reflection.v1.ServerReflection/ServerReflectionInfo", Access.Authenticated)]
    public void The_scopes_follow_the_design(string method, Access expected) =>
        Assert.Equal(expected, MethodAccessTable.Find(method));

    [Fact]
    public void Admin_includes_the_other_scopes_and_the_others_do_not_include_each_other()
    {
        Assert.True(ScopeNames.Satisfies(new HashSet<Access> { Access.Admin }, Access.Ingest));
        Assert.True(ScopeNames.Satisfies(new HashSet<Access> { Access.Admin }, Access.Observe));
        Assert.False(ScopeNames.Satisfies(new HashSet<Access> { Access.Ingest }, Access.Observe));
        Assert.False(ScopeNames.Satisfies(new HashSet<Access> { Access.Observe }, Access.Ingest));
        Assert.False(ScopeNames.Satisfies(new HashSet<Access> { Access.Observe, Access.Ingest }, Access.Admin));
    }

    [Fact]
    public async Task A_mapped_method_without_a_declared_scope_fails_the_start()
    {
        var undeclared = new Grpc.Core.Method<byte[], byte[]>(Grpc.Core.MethodType.Unary, "test.v1.Undeclared", "DoIt",
            Grpc.Core.Marshallers.Create(b => b, b => b), Grpc.Core.Marshallers.Create(b => b, b => b));
        var endpoint = new Microsoft.AspNetCore.Http.Endpoint(_ => Task.CompletedTask,
            new Microsoft.AspNetCore.Http.EndpointMetadataCollection(new Grpc.AspNetCore.Server.GrpcMethodMetadata(typeof(object), undeclared)),
            "undeclared");
        var check = new MethodAccessCoverage(new Microsoft.AspNetCore.Routing.DefaultEndpointDataSource(endpoint));
        var app = new Microsoft.AspNetCore.Builder.ApplicationBuilder(new ServiceCollection().BuildServiceProvider());

        var error = Assert.Throws<InvalidOperationException>(() => check.Configure(_ => { })(app));

        Assert.Contains("test.v1.Undeclared/DoIt", error.Message, StringComparison.Ordinal);

        // The real server maps only declared methods, so it starts.
        await using var server = await SecuredServer.StartAsync();
        Assert.Empty(MethodAccessCoverage.Undeclared(server.MappedMethods.Select(m =>
            new Microsoft.AspNetCore.Http.Endpoint(null, new Microsoft.AspNetCore.Http.EndpointMetadataCollection(m), null))));
    }
}
