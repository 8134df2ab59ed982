import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { errorInterceptor } from "../../clients/typescript/src/errors.js";
import { AccessService } from "../../clients/typescript/src/gen/runtime/v1/access_service_pb.js";
import { AnalyticsService } from "../../clients/typescript/src/gen/runtime/v1/analytics_service_pb.js";
import { RuntimeControlPlaneService } from "../../clients/typescript/src/gen/runtime/v1/control_plane_service_pb.js";
import { RuntimeDriverService } from "../../clients/typescript/src/gen/runtime/v1/driver_service_pb.js";
import { ObservationService } from "../../clients/typescript/src/gen/runtime/v1/observation_service_pb.js";
import { TransportService } from "../../clients/typescript/src/gen/runtime/v1/transport_service_pb.js";

// Kept for the tab's life only: a key in a page's storage outlives the person who typed it otherwise.
const tokenKey = "runtime-console.token";

/** The credential the console sends, if any: an API key or a JWT, as `authorization: Bearer ...`. */
export const credentials = {
  get token(): string {
    return sessionStorage.getItem(tokenKey) ?? "";
  },
  set token(value: string) {
    if (value) {
      sessionStorage.setItem(tokenKey, value);
    } else {
      sessionStorage.removeItem(tokenKey);
    }
  },
};

const bearer: Interceptor = (next) => (request) => {
  const token = credentials.token;
  if (token) {
    request.header.set("authorization", `Bearer ${token}`);
  }
  return next(request);
};

/** One client per service over gRPC-Web on the page's own origin (the console endpoint serves both). */
export class Api {
  readonly driver: Client<typeof RuntimeDriverService>;
  readonly controlPlane: Client<typeof RuntimeControlPlaneService>;
  readonly transports: Client<typeof TransportService>;
  readonly observation: Client<typeof ObservationService>;
  readonly analytics: Client<typeof AnalyticsService>;
  readonly access: Client<typeof AccessService>;

  constructor(baseUrl: string = location.origin) {
    // The client's errorInterceptor turns every failure into a RuntimeClientError with ErrorInfo and field violations.
    const transport = createGrpcWebTransport({ baseUrl, interceptors: [bearer, errorInterceptor] });
    this.driver = createClient(RuntimeDriverService, transport);
    this.controlPlane = createClient(RuntimeControlPlaneService, transport);
    this.transports = createClient(TransportService, transport);
    this.observation = createClient(ObservationService, transport);
    this.analytics = createClient(AnalyticsService, transport);
    this.access = createClient(AccessService, transport);
  }
}
