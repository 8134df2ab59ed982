using System.Security.Claims;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authorization;

namespace Runtime.Server.Security.Authorization;

/// <summary>
/// The authorization policy applied to every endpoint (the fallback policy, so services mapped later are covered
/// without touching them): the endpoint's gRPC method is looked up in <see cref="MethodAccessTable"/> and the
/// caller's scopes are checked against it.
/// </summary>
public sealed class MethodAccessRequirement : IAuthorizationRequirement
{
    /// <summary>The policy that holds only this requirement.</summary>
    public static AuthorizationPolicy Policy { get; } = new AuthorizationPolicyBuilder().AddRequirements(new MethodAccessRequirement()).Build();

    /// <summary>
    /// What an endpoint needs: its method's entry in the table; an endpoint that is not a declared gRPC method
    /// (an unknown path, the UNIMPLEMENTED fallback) needs a valid credential.
    /// </summary>
    public static Access For(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<GrpcMethodMetadata>() is { } grpc
            ? MethodAccessTable.Find(grpc.Method.FullName.TrimStart('/')) ?? Access.Authenticated
            : Access.Authenticated;

    /// <summary>Whether <paramref name="user"/> may call <paramref name="endpoint"/>.</summary>
    public static bool IsAllowed(Endpoint? endpoint, ClaimsPrincipal user)
    {
        var required = For(endpoint);
        if (required == Access.Anonymous)
        {
            return true;
        }

        return CallerIdentity.From(user) is { } caller && ScopeNames.Satisfies(caller.Scopes, required);
    }
}

/// <summary>Evaluates <see cref="MethodAccessRequirement"/> for the request being authorized.</summary>
public sealed class MethodAccessHandler : AuthorizationHandler<MethodAccessRequirement>
{
    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MethodAccessRequirement requirement)
    {
        if (context.Resource is HttpContext http && MethodAccessRequirement.IsAllowed(http.GetEndpoint(), context.User))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
