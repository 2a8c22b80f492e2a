// Generated from packages/client/openapi.json by scripts/openapi.mjs (npm run sdk:types). Do not edit.
export interface paths {
    "/v1/timbres": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List and search timbres */
        get: operations["getTimbres"];
        put?: never;
        /** Create a timbre */
        post: operations["postTimbres"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/timbres/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a timbre (retired ones too); its ETag is what If-Match takes */
        get: operations["getTimbresById"];
        put?: never;
        post?: never;
        /** Retire a timbre: hidden from lists and from the vendor dialects, still found by id */
        delete: operations["deleteTimbresById"];
        options?: never;
        head?: never;
        /** Change the given fields of a timbre (If-Match: only if it is still the version read) */
        patch: operations["patchTimbresById"];
        trace?: never;
    };
    "/v1/timbres/{id}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Bring a retired timbre back into the lists and the vendor dialects (If-Match: only onto the version read) */
        post: operations["postTimbresByIdRestore"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/digital-humans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List and search digital humans */
        get: operations["getDigitalHumans"];
        put?: never;
        /** Create a digital human */
        post: operations["postDigitalHumans"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/digital-humans/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a digital human with its actions (retired ones too); its ETag is what If-Match takes */
        get: operations["getDigitalHumansById"];
        put?: never;
        post?: never;
        /** Retire a digital human: hidden from lists and the vendor dialects, still found by id */
        delete: operations["deleteDigitalHumansById"];
        options?: never;
        head?: never;
        /** Change the given fields of a digital human (If-Match: only if it is still the version read) */
        patch: operations["patchDigitalHumansById"];
        trace?: never;
    };
    "/v1/digital-humans/{id}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Bring a retired digital human back into the lists and the vendor dialects (If-Match: only onto the version read) */
        post: operations["postDigitalHumansByIdRestore"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/digital-humans/{id}/timbres": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The timbres bound to a digital human (public bindings and the caller's own) */
        get: operations["getDigitalHumansByIdTimbres"];
        /** Reorder the caller's bindings and set the default; If-Match: only the bindings read */
        put: operations["putDigitalHumansByIdTimbres"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/digital-humans/{id}/timbres/{timbreId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Bind a timbre (or change its place or default); If-Match: only onto the bindings read */
        put: operations["putDigitalHumansByIdTimbresByTimbreId"];
        post?: never;
        /** Unbind a timbre; If-Match: only from the bindings read */
        delete: operations["deleteDigitalHumansByIdTimbresByTimbreId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/anchors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List and search anchors (presenters) */
        get: operations["getAnchors"];
        put?: never;
        /** Create an anchor */
        post: operations["postAnchors"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/anchors/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an anchor (retired ones too); its ETag is what If-Match takes */
        get: operations["getAnchorsById"];
        put?: never;
        post?: never;
        /** Delete an anchor that has no looks (409 while any digital human names its code: retire it instead) */
        delete: operations["deleteAnchorsById"];
        options?: never;
        head?: never;
        /** Change the given fields of an anchor (its code stays: looks name it; If-Match: only if it is still the version read) */
        patch: operations["patchAnchorsById"];
        trace?: never;
    };
    "/v1/anchors/{id}/digital-humans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An anchor's looks: the active digital humans whose anchorCode names it, that the caller can see, in catalog order (at most 1,000) */
        get: operations["getAnchorsByIdDigitalHumans"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/anchors/{id}/retire": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Retire an anchor: it leaves the anchor lists; its looks stay listed and keep its code and name */
        post: operations["postAnchorsByIdRetire"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/anchors/{id}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Bring a retired anchor back into the lists */
        post: operations["postAnchorsByIdRestore"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import NDJSON records (docs/catalog-format.md) streamed in the body, up to TIMBREL_MAX_UPLOAD_BYTES: the operator's for any owner, an app's as its own. Files are http(s) URLs or stored:<sha256> (local paths: `timbrel import`). Transactions of 1,000 records; a bad record stops the import (400 with `where` and what was committed) */
        post: operations["postImport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Store a file to reference as stored:<sha256>. Body: the file (any Content-Type), or multipart/form-data with one file part. */
        post: operations["postFiles"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/timbres/{id}/sample": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Upload a timbre's sample (If-Match: only onto the version read). Body: the file (any Content-Type), or multipart/form-data with one file part. */
        put: operations["putTimbresByIdSample"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/timbres/{id}/image": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Upload a timbre's image (If-Match: only onto the version read). Body: the file (any Content-Type), or multipart/form-data with one file part. */
        put: operations["putTimbresByIdImage"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/timbres/{id}/language-samples/{language}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Upload a timbre's sample for one of its languages (If-Match: only onto the version read). Body: the file (any Content-Type), or multipart/form-data with one file part. */
        put: operations["putTimbresByIdLanguageSamplesByLanguage"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/digital-humans/{id}/header-image": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Upload a digital human's header image (If-Match: only onto the version read). Body: the file (any Content-Type), or multipart/form-data with one file part. */
        put: operations["putDigitalHumansByIdHeaderImage"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/digital-humans/{id}/pose-image": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Upload a digital human's pose image (If-Match: only onto the version read). Body: the file (any Content-Type), or multipart/form-data with one file part. */
        put: operations["putDigitalHumansByIdPoseImage"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/digital-humans/{id}/clothes-image": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Upload a digital human's clothes image (If-Match: only onto the version read). Body: the file (any Content-Type), or multipart/form-data with one file part. */
        put: operations["putDigitalHumansByIdClothesImage"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/digital-humans/{id}/cover-image": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Upload a digital human's cover image (If-Match: only onto the version read). Body: the file (any Content-Type), or multipart/form-data with one file part. */
        put: operations["putDigitalHumansByIdCoverImage"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/digital-humans/{id}/render-package": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Upload a digital human's render package (any archive, up to TIMBREL_MAX_PACKAGE_BYTES; If-Match: only onto the version read). Body: the file (any Content-Type), or multipart/form-data with one file part. */
        put: operations["putDigitalHumansByIdRenderPackage"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/digital-humans/{id}/frame-fill-package": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Upload a digital human's frame fill package (any archive, up to TIMBREL_MAX_PACKAGE_BYTES; If-Match: only onto the version read). Body: the file (any Content-Type), or multipart/form-data with one file part. */
        put: operations["putDigitalHumansByIdFrameFillPackage"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/anchors/{id}/header-image": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Upload an anchor's header image (If-Match: only onto the version read). Body: the file (any Content-Type), or multipart/form-data with one file part. */
        put: operations["putAnchorsByIdHeaderImage"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/digital-humans/{id}/actions/{code}/preview-video": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Upload an action's preview video (If-Match: only onto the version read). Body: the file (any Content-Type), or multipart/form-data with one file part. */
        put: operations["putDigitalHumansByIdActionsByCodePreviewVideo"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List apps (no secrets) */
        get: operations["getApps"];
        put?: never;
        /** Create an app; its credentials are in this answer only */
        post: operations["postApps"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an app (no secrets) */
        get: operations["getAppsByName"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Enable or disable an app, or set its requests per second */
        patch: operations["patchAppsByName"];
        trace?: never;
    };
    "/v1/apps/{name}/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An app's requests on this instance since it started, by dialect and outcome (the same counts as /metrics; with several instances, sum them in Prometheus) */
        get: operations["getAppsByNameUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{name}/usage/hours": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An app's use in hourly buckets, stored and summed across instances (kept 90 days): requests by dialect, how they went (served, relayed through its own upstream or the operator's) and outcome, speech characters and relayed bytes. Default: the last 24 hours */
        get: operations["getAppsByNameUsageHours"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{name}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate a dialect's secret; the old one keeps verifying for graceSeconds (default 86400) */
        post: operations["postAppsByNameRotate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{name}/try": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a signed ZEGO or IVH request as the app (the app's secret never leaves the server); returns the wire request and answer */
        post: operations["postAppsByNameTry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{name}/upstreams": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An app's upstream vendor accounts (secrets masked) and their last syncs */
        get: operations["getAppsByNameUpstreams"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{name}/upstreams/{dialect}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An app's upstream for a dialect (secret masked) */
        get: operations["getAppsByNameUpstreamsByDialect"];
        /** Set an app's upstream for a dialect: zego takes appId and serverSecret, ivh appkey and accesstoken, elevenlabs, openai and heygen apiKey; url defaults to the vendor's own host and must be https unless its host:port is in TIMBREL_UPSTREAM_ALLOW_HTTP */
        put: operations["putAppsByNameUpstreamsByDialect"];
        post?: never;
        /** Remove an app's upstream for a dialect (rows its syncs wrote stay) */
        delete: operations["deleteAppsByNameUpstreamsByDialect"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{name}/upstreams/{dialect}/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sync the app's catalog from this upstream: 202 at once (follow it in the upstream's lastSync), or with wait=true 200 with the finished report */
        post: operations["postAppsByNameUpstreamsByDialectSync"];
        /** Cancel the upstream's running sync, on whichever instance runs it: 202 (its report then says cancelled; nothing is retired), 404 when none runs */
        delete: operations["deleteAppsByNameUpstreamsByDialectSync"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/upstreams": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The operator's upstream vendor accounts (secrets masked): an app without its own upstream for a dialect relays through these */
        get: operations["getUpstreams"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/upstreams/{dialect}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The operator's upstream for a dialect (secret masked) */
        get: operations["getUpstreamsByDialect"];
        /** Set the operator's upstream for a dialect, used by every app without its own: zego takes appId and serverSecret, ivh appkey and accesstoken, elevenlabs, openai and heygen apiKey; url defaults to the vendor's own host and must be https unless its host:port is in TIMBREL_UPSTREAM_ALLOW_HTTP */
        put: operations["putUpstreamsByDialect"];
        post?: never;
        /** Remove the operator's upstream for a dialect */
        delete: operations["deleteUpstreamsByDialect"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/upstreams/{dialect}/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sync the public catalog from the operator's upstream (everything it lists is written public): 202 at once (follow it in the upstream's lastSync), or with wait=true 200 with the finished report */
        post: operations["postUpstreamsByDialectSync"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{name}/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An app's API keys (never the keys themselves) */
        get: operations["getAppsByNameKeys"];
        put?: never;
        /** Create an API key; the key is in this answer only */
        post: operations["postAppsByNameKeys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{name}/keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key at once */
        delete: operations["deleteAppsByNameKeysById"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The event log, oldest first after a cursor: one thin event per change (what changed and how to fetch it). An app sees the public catalog’s events and its own; a cursor past the retention answers 410 events_expired */
        get: operations["getEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The event log as Server-Sent Events (`id:` is the cursor, so an EventSource resumes with Last-Event-ID; `data:` one event as /v1/events shows it), live: an event is sent within a second of its commit, on every instance; a comment every 15 s keeps the connection open */
        get: operations["getEventsStream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Webhook endpoints: an app’s own, or (the operator) every one */
        get: operations["getWebhooks"];
        put?: never;
        /** Add a webhook endpoint: the events from now on are POSTed to it, signed (Standard Webhooks). The secret is in this answer only. An app key adds its own app’s; the operator names an app, or none for an endpoint of every event */
        post: operations["postWebhooks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A webhook endpoint (never its secret) */
        get: operations["getWebhooksById"];
        put?: never;
        post?: never;
        /** Remove an endpoint and its deliveries */
        delete: operations["deleteWebhooksById"];
        options?: never;
        head?: never;
        /** Change an endpoint’s URL, description or types, or enable it again (clearing its failing streak) or disable it */
        patch: operations["patchWebhooksById"];
        trace?: never;
    };
    "/v1/webhooks/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A new signing secret (shown once); the old one still signs deliveries for 24 hours, beside the new */
        post: operations["postWebhooksByIdRotateSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An endpoint’s deliveries, newest first (kept 7 days): each attempt’s status, duration and the answer’s first 1 KB */
        get: operations["getWebhooksByIdDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a delivery again (a new delivery of the same event, with the same webhook-id), now */
        post: operations["postWebhooksByIdDeliveriesByDeliveryIdRedeliver"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a `ping` event to the endpoint (not in the log: seq 0), signed like every delivery */
        post: operations["postWebhooksByIdTest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/dialects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The wire dialects this server speaks: name, label, how a client authenticates, its base URL and one request that answers */
        get: operations["getDialects"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The catalog in the import format (NDJSON, docs/catalog-format.md): the operator's is every record, an app's its own private ones. Stored files stay stored:<sha256> references; for apps, keys and files too, use `timbrel backup` */
        get: operations["getExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @example {
         *       "type": "about:blank",
         *       "title": "Conflict",
         *       "status": 409,
         *       "code": "conflict",
         *       "detail": "key \"female_1\" already belongs to timbre 1c6e0b52-3f7a-4d5e-9b21-8f4a6c2d7e01",
         *       "param": "key"
         *     }
         */
        Problem: {
            type: string;
            title: string;
            status: number;
            /** @description stable machine code */
            code: string;
            detail: string;
        } & {
            [key: string]: unknown;
        };
        /**
         * @example {
         *       "id": "1c6e0b52-3f7a-4d5e-9b21-8f4a6c2d7e01",
         *       "owner": null,
         *       "key": "female_1",
         *       "name": "female voice 1",
         *       "description": "Natural and graceful",
         *       "gender": "female",
         *       "languages": [
         *         "zh-CN",
         *         "en-US"
         *       ],
         *       "emotions": [],
         *       "timbreType": "Boutique",
         *       "supportedAvatarTypes": [
         *         "real_man_2d"
         *       ],
         *       "driverTypes": [
         *         "Text"
         *       ],
         *       "tags": [
         *         "calm"
         *       ],
         *       "age": "",
         *       "accent": "",
         *       "useCases": [],
         *       "sortOrder": 1,
         *       "image": "https://catalog.example.com/files/5c95…?expires=1796115600&signature=…",
         *       "sample": "https://catalog.example.com/files/8a1d…?expires=1796115600&signature=…",
         *       "languageSamples": {
         *         "en-US": "https://catalog.example.com/files/3e0b…?expires=1796115600&signature=…"
         *       },
         *       "expiresAt": null,
         *       "status": "active",
         *       "replacedBy": null,
         *       "createdAt": "2026-11-30T08:52:07.244Z",
         *       "updatedAt": "2026-11-30T08:52:07.244Z"
         *     }
         */
        Timbre: {
            id: string;
            /** @description null: the public catalog */
            owner: string | null;
            /** @description the owner's unique key (a vendor voice code) */
            key: string;
            name: string;
            description: string;
            /** @enum {string} */
            gender: "male" | "female" | "neutral";
            languages: string[];
            emotions: string[];
            /** @enum {string} */
            timbreType: "Boutique" | "SampleBasic" | "SampleFast";
            supportedAvatarTypes: ("real_man_2d" | "real_man_3d" | "half_realistic_3d" | "cartoon_3d" | "small_sample_2d" | "small_sample_general_2d" | "small_sample_4k_2d" | "small_sample_photo_2d")[];
            driverTypes: ("Text" | "OriginalVoice" | "ModulatedVoice")[];
            tags: string[];
            age: string;
            accent: string;
            useCases: string[];
            /** @description place in the list order (ascending), a 32-bit integer */
            sortOrder: number;
            image: string | null;
            sample: string | null;
            /** @description a sample per language: language tag → an external URL or a signed URL of a stored file (expires) */
            languageSamples: {
                [key: string]: string;
            };
            expiresAt: string | null;
            /** @enum {string} */
            status: "active" | "retired";
            replacedBy: string | null;
            /**
             * Format: date-time
             * @description ISO 8601
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description ISO 8601
             */
            updatedAt: string;
        };
        DigitalHuman: {
            id: string;
            /** @description null: the public catalog */
            owner: string | null;
            name: string;
            anchorCode: string;
            clothesName: string;
            poseName: string;
            resolution: string;
            /** @enum {string} */
            avatarType: "real_man_2d" | "real_man_3d" | "half_realistic_3d" | "cartoon_3d" | "small_sample_2d" | "small_sample_general_2d" | "small_sample_4k_2d" | "small_sample_photo_2d";
            driverTypes: ("Text" | "OriginalVoice" | "ModulatedVoice")[];
            backgroundChangeable: boolean;
            originZoom: number;
            /** @description IVH SupportAnchorExtraParams (3D clothes-colour parameters): a JSON array of objects of at most 64 KiB, kept verbatim */
            extraParams: {
                [key: string]: unknown;
            }[];
            /** @description ZEGO IsSupportSmallImageMode: true only with a renderPackage */
            smallImageMode: boolean;
            /** @description place in the list order (ascending), a 32-bit integer */
            sortOrder: number;
            headerImage: string | null;
            poseImage: string | null;
            clothesImage: string | null;
            coverImage: string | null;
            renderPackage: string | null;
            frameFillPackage: string | null;
            actions: {
                code: string;
                name: string;
                previewVideo: string | null;
            }[];
            /** @description the anchor (presenter) this look belongs to, by anchorCode; null when it has none */
            anchor: {
                id: string;
                code: string;
                name: string;
                /** @enum {string} */
                status: "active" | "retired";
            } | null;
            effectiveAt: string | null;
            expiresAt: string | null;
            /** @enum {string} */
            status: "active" | "retired";
            replacedBy: string | null;
            /**
             * Format: date-time
             * @description ISO 8601
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description ISO 8601
             */
            updatedAt: string;
        };
        /**
         * @example {
         *       "id": "3f0c1e2d-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
         *       "owner": null,
         *       "code": "ava",
         *       "name": "Ava",
         *       "gender": "female",
         *       "tag": "Standard",
         *       "avatarType": "real_man_2d",
         *       "sortOrder": 1,
         *       "headerImage": "https://catalog.example.com/files/6690…?expires=1796115600&signature=…",
         *       "status": "active",
         *       "replacedBy": null,
         *       "createdAt": "2026-11-30T08:52:07.244Z",
         *       "updatedAt": "2026-11-30T08:52:07.244Z"
         *     }
         */
        Anchor: {
            id: string;
            /** @description null: the public catalog */
            owner: string | null;
            /** @description unique among the anchors one app sees; looks name it as anchorCode */
            code: string;
            name: string;
            /** @enum {string} */
            gender: "male" | "female" | "neutral";
            /**
             * @description IVH Tag: Basic, Standard or Advanced
             * @enum {string}
             */
            tag: "Basic" | "Standard" | "Advanced";
            /** @enum {string} */
            avatarType: "real_man_2d" | "real_man_3d" | "half_realistic_3d" | "cartoon_3d" | "small_sample_2d" | "small_sample_general_2d" | "small_sample_4k_2d" | "small_sample_photo_2d";
            /** @description place in the list order (ascending), a 32-bit integer */
            sortOrder: number;
            headerImage: string | null;
            /** @enum {string} */
            status: "active" | "retired";
            replacedBy: string | null;
            /**
             * Format: date-time
             * @description ISO 8601
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description ISO 8601
             */
            updatedAt: string;
        };
        App: {
            id: string;
            name: string;
            status: "active" | "disabled";
            rateLimit: number;
            zego: {
                AppId: number;
                previousSecretValidUntil: string | null;
            };
            ivh: {
                appkey: string;
                previousTokenValidUntil: string | null;
            };
            createdAt: string;
            updatedAt: string;
        };
        Upstream: {
            dialect: "zego" | "ivh" | "elevenlabs" | "openai" | "heygen";
            url: string;
            /** @description ZEGO: the app's AppId at ZEGO */
            appId?: number;
            /** @description masked: its last four characters */
            serverSecret?: string;
            /** @description IVH: the app's appkey at Tencent */
            appkey?: string;
            /** @description masked: its last four characters */
            accesstoken?: string;
            /** @description ElevenLabs, OpenAI-compatible, HeyGen: masked, its last four characters */
            apiKey?: string;
            /** @description requests a second a sync makes to the vendor */
            rateLimit: number;
            /** @description key dialects: calls naming voices or avatars the catalog holds nowhere are relayed too */
            open?: boolean;
            lastSync: {
                dialect: string;
                /** @description epoch ms */
                startedAt: number;
                finishedAt: number | null;
                outcome: "running" | "completed" | "failed" | "cancelled";
                error?: string;
                /** @description why the sync stopped before the vendor's lists ended (nothing is retired then) */
                stopped?: "repeated_page" | "row_cap" | "time_cap" | "answer_too_large" | "retry_budget" | "cancelled" | "lease_lost" | "vendor_error";
                /** @description requests made to the vendor */
                pages: number;
                created: number;
                updated: number;
                unchanged: number;
                retired: number;
                restored: number;
                /** @description rows of the same id (or key) that are not this source's: left alone */
                conflicts: number;
                /** @description media copied into the file store */
                files: number;
                fileErrors: number;
                /** @description the first rows refused or not copied, each with why */
                rowErrors: string[];
            } | null;
            createdAt: string;
            updatedAt: string;
        };
        Event: {
            /** @description `evt_` and a ULID: the event’s identity (a webhook delivery’s `webhook-id`) */
            id: string;
            /** @description its position in the log, strictly increasing in commit order */
            seq: number;
            /** @description `<kind>.created|updated|retired|restored|deleted`, `binding.updated`, `sync.completed`, `import.completed` */
            type: string;
            createdAt: string;
            object: {
                /** @description timbre, digital_human, anchor, binding, app, api_key, upstream or import */
                kind: string;
                /** @description the object’s id (a binding: its digital human’s; an upstream: its dialect) */
                id: string;
                /** @description `public`, or the owning app’s name */
                owner: string;
                /** @description the object’s version after the change: its ETag up to the dot, for If-Match / If-None-Match */
                etag?: string;
            };
            /** @description the fields an update changed */
            changed: string[];
            /** @description `api`, `console`, `cli`, `import` or `sync:<dialect>` */
            source: string;
            /** @description a sync’s or an import’s report */
            data?: {
                [key: string]: unknown;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getTimbres: {
        parameters: {
            query?: {
                /** @description public, private, mine (an app), or an app name (operator); several values: repeat the parameter or separate with commas */
                owner?: string | string[];
                /** @description active (default), retired; several values: repeat the parameter or separate with commas */
                status?: string | string[];
                /** @description catalog (default): the vendor dialects' order */
                sort?: "catalog" | "name" | "-createdAt";
                limit?: number;
                /** @description from nextCursor; bound to the filters it was made with */
                cursor?: string;
                /** @description also count every match */
                total?: boolean;
                /** @description male, female, neutral; several values: repeat the parameter or separate with commas */
                gender?: string | string[];
                /** @description a language tag, e.g. en-US; several values: repeat the parameter or separate with commas */
                language?: string | string[];
                /** @description a tag; several values: repeat the parameter or separate with commas */
                tag?: string | string[];
                /** @description an emotion; several values: repeat the parameter or separate with commas */
                emotion?: string | string[];
                /** @description Boutique, SampleBasic, SampleFast; several values: repeat the parameter or separate with commas */
                timbreType?: string | string[];
                /** @description a digital-human type the timbre supports; several values: repeat the parameter or separate with commas */
                avatarType?: string | string[];
                /** @description words in name, description or tags (case and accents ignored) */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Timbre"][];
                        hasMore: boolean;
                        nextCursor: string | null;
                        total?: number;
                    };
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postTimbres: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the owner's unique key (a vendor voice code) */
                    key: string;
                    name: string;
                    description?: string;
                    /** @enum {string} */
                    gender?: "male" | "female" | "neutral";
                    languages?: string[];
                    emotions?: string[];
                    /** @enum {string} */
                    timbreType?: "Boutique" | "SampleBasic" | "SampleFast";
                    supportedAvatarTypes?: ("real_man_2d" | "real_man_3d" | "half_realistic_3d" | "cartoon_3d" | "small_sample_2d" | "small_sample_general_2d" | "small_sample_4k_2d" | "small_sample_photo_2d")[];
                    driverTypes?: ("Text" | "OriginalVoice" | "ModulatedVoice")[];
                    tags?: string[];
                    age?: string;
                    accent?: string;
                    useCases?: string[];
                    /** @description place in the list order (ascending), a 32-bit integer */
                    sortOrder?: number;
                    /** @description UUID, dashed or as 32 hex */
                    id?: string;
                    /** @description operator only: an app name, or null for the public catalog */
                    owner?: string | null;
                    image?: string | null;
                    sample?: string | null;
                    /** @description a sample per language: each key one of the timbre's languages, each value an http(s) URL or stored:<sha256>; replaces the whole map */
                    languageSamples?: {
                        [key: string]: string;
                    };
                    expiresAt?: string | null;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Timbre"];
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: an id, key or code that is taken, or an anchor that still has looks */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTimbresById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID, dashed or as 32 hex */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Timbre"];
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteTimbresById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID, dashed or as 32 hex */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    replacedBy?: string | null;
                } | null;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Timbre"];
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    patchTimbresById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID, dashed or as 32 hex */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the owner's unique key (a vendor voice code) */
                    key?: string;
                    name?: string;
                    description?: string;
                    /** @enum {string} */
                    gender?: "male" | "female" | "neutral";
                    languages?: string[];
                    emotions?: string[];
                    /** @enum {string} */
                    timbreType?: "Boutique" | "SampleBasic" | "SampleFast";
                    supportedAvatarTypes?: ("real_man_2d" | "real_man_3d" | "half_realistic_3d" | "cartoon_3d" | "small_sample_2d" | "small_sample_general_2d" | "small_sample_4k_2d" | "small_sample_photo_2d")[];
                    driverTypes?: ("Text" | "OriginalVoice" | "ModulatedVoice")[];
                    tags?: string[];
                    age?: string;
                    accent?: string;
                    useCases?: string[];
                    /** @description place in the list order (ascending), a 32-bit integer */
                    sortOrder?: number;
                    image?: string | null;
                    sample?: string | null;
                    /** @description a sample per language: each key one of the timbre's languages, each value an http(s) URL or stored:<sha256>; replaces the whole map */
                    languageSamples?: {
                        [key: string]: string;
                    };
                    expiresAt?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Timbre"];
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: an id, key or code that is taken, or an anchor that still has looks */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postTimbresByIdRestore: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID, dashed or as 32 hex */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Timbre"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDigitalHumans: {
        parameters: {
            query?: {
                /** @description public, private, mine (an app), or an app name (operator); several values: repeat the parameter or separate with commas */
                owner?: string | string[];
                /** @description active (default), retired; several values: repeat the parameter or separate with commas */
                status?: string | string[];
                /** @description catalog (default): the vendor dialects' order */
                sort?: "catalog" | "name" | "-createdAt";
                limit?: number;
                /** @description from nextCursor; bound to the filters it was made with */
                cursor?: string;
                /** @description also count every match */
                total?: boolean;
                /** @description an avatar type; several values: repeat the parameter or separate with commas */
                avatarType?: string | string[];
                /** @description an anchor's code: its looks; several values: repeat the parameter or separate with commas */
                anchorCode?: string | string[];
                /** @description text in name, anchorCode, clothesName or poseName */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["DigitalHuman"][];
                        hasMore: boolean;
                        nextCursor: string | null;
                        total?: number;
                    };
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postDigitalHumans: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    anchorCode?: string;
                    clothesName?: string;
                    poseName?: string;
                    resolution?: string;
                    /** @enum {string} */
                    avatarType?: "real_man_2d" | "real_man_3d" | "half_realistic_3d" | "cartoon_3d" | "small_sample_2d" | "small_sample_general_2d" | "small_sample_4k_2d" | "small_sample_photo_2d";
                    driverTypes?: ("Text" | "OriginalVoice" | "ModulatedVoice")[];
                    backgroundChangeable?: boolean;
                    originZoom?: number;
                    /** @description IVH SupportAnchorExtraParams (3D clothes-colour parameters): a JSON array of objects of at most 64 KiB, kept verbatim */
                    extraParams?: {
                        [key: string]: unknown;
                    }[];
                    /** @description ZEGO IsSupportSmallImageMode: true only with a renderPackage */
                    smallImageMode?: boolean;
                    /** @description place in the list order (ascending), a 32-bit integer */
                    sortOrder?: number;
                    coverImage?: string | null;
                    renderPackage?: string | null;
                    frameFillPackage?: string | null;
                    headerImage?: string | null;
                    poseImage?: string | null;
                    clothesImage?: string | null;
                    actions?: {
                        /** @description the action tag clients send (unique within the digital human) */
                        code: string;
                        /** @description a display name (IVH ActionName); '' = the code */
                        name?: string;
                        previewVideo?: string | null;
                    }[];
                    effectiveAt?: string | null;
                    expiresAt?: string | null;
                    /** @description UUID, dashed or as 32 hex */
                    id?: string;
                    /** @description operator only: an app name, or null for the public catalog */
                    owner?: string | null;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DigitalHuman"];
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: an id, key or code that is taken, or an anchor that still has looks */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDigitalHumansById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID, dashed or as 32 hex */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DigitalHuman"];
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteDigitalHumansById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID, dashed or as 32 hex */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    replacedBy?: string | null;
                } | null;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DigitalHuman"];
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    patchDigitalHumansById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID, dashed or as 32 hex */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    anchorCode?: string;
                    clothesName?: string;
                    poseName?: string;
                    resolution?: string;
                    /** @enum {string} */
                    avatarType?: "real_man_2d" | "real_man_3d" | "half_realistic_3d" | "cartoon_3d" | "small_sample_2d" | "small_sample_general_2d" | "small_sample_4k_2d" | "small_sample_photo_2d";
                    driverTypes?: ("Text" | "OriginalVoice" | "ModulatedVoice")[];
                    backgroundChangeable?: boolean;
                    originZoom?: number;
                    /** @description IVH SupportAnchorExtraParams (3D clothes-colour parameters): a JSON array of objects of at most 64 KiB, kept verbatim */
                    extraParams?: {
                        [key: string]: unknown;
                    }[];
                    /** @description ZEGO IsSupportSmallImageMode: true only with a renderPackage */
                    smallImageMode?: boolean;
                    /** @description place in the list order (ascending), a 32-bit integer */
                    sortOrder?: number;
                    coverImage?: string | null;
                    renderPackage?: string | null;
                    frameFillPackage?: string | null;
                    headerImage?: string | null;
                    poseImage?: string | null;
                    clothesImage?: string | null;
                    actions?: {
                        /** @description the action tag clients send (unique within the digital human) */
                        code: string;
                        /** @description a display name (IVH ActionName); '' = the code */
                        name?: string;
                        previewVideo?: string | null;
                    }[];
                    effectiveAt?: string | null;
                    expiresAt?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DigitalHuman"];
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postDigitalHumansByIdRestore: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID, dashed or as 32 hex */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DigitalHuman"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDigitalHumansByIdTimbres: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID, dashed or as 32 hex */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description whose binding: null is the operator's (public) */
                            owner: string | null;
                            sortOrder: number;
                            isDefault: boolean;
                            timbre: components["schemas"]["Timbre"];
                        }[];
                    };
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putDigitalHumansByIdTimbres: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID, dashed or as 32 hex */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the caller's bound timbre ids in their new order: all of them */
                    order: string[];
                    /** @description the default timbre (one of order), or null for none */
                    default?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description whose binding: null is the operator's (public) */
                            owner: string | null;
                            sortOrder: number;
                            isDefault: boolean;
                            timbre: components["schemas"]["Timbre"];
                        }[];
                    };
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putDigitalHumansByIdTimbresByTimbreId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID, dashed or as 32 hex */
                id: string;
                /** @description UUID, dashed or as 32 hex */
                timbreId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description place in the list order (ascending), a 32-bit integer */
                    sortOrder?: number;
                    isDefault?: boolean;
                } | null;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description whose binding: null is the operator's (public) */
                            owner: string | null;
                            sortOrder: number;
                            isDefault: boolean;
                            timbre: components["schemas"]["Timbre"];
                        }[];
                    };
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteDigitalHumansByIdTimbresByTimbreId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID, dashed or as 32 hex */
                id: string;
                /** @description UUID, dashed or as 32 hex */
                timbreId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description whose binding: null is the operator's (public) */
                            owner: string | null;
                            sortOrder: number;
                            isDefault: boolean;
                            timbre: components["schemas"]["Timbre"];
                        }[];
                    };
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAnchors: {
        parameters: {
            query?: {
                /** @description public, private, mine (an app), or an app name (operator); several values: repeat the parameter or separate with commas */
                owner?: string | string[];
                /** @description active (default), retired; several values: repeat the parameter or separate with commas */
                status?: string | string[];
                /** @description catalog (default): the vendor dialects' order */
                sort?: "catalog" | "name" | "-createdAt";
                limit?: number;
                /** @description from nextCursor; bound to the filters it was made with */
                cursor?: string;
                /** @description also count every match */
                total?: boolean;
                /** @description an avatar type; several values: repeat the parameter or separate with commas */
                avatarType?: string | string[];
                /** @description male, female, neutral; several values: repeat the parameter or separate with commas */
                gender?: string | string[];
                /** @description Basic, Standard, Advanced; several values: repeat the parameter or separate with commas */
                tag?: string | string[];
                /** @description text in name or code */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Anchor"][];
                        hasMore: boolean;
                        nextCursor: string | null;
                        total?: number;
                    };
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postAnchors: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description unique among the anchors one app sees; looks name it as anchorCode */
                    code: string;
                    name: string;
                    /** @enum {string} */
                    gender?: "male" | "female" | "neutral";
                    /**
                     * @description IVH Tag: Basic, Standard or Advanced
                     * @enum {string}
                     */
                    tag?: "Basic" | "Standard" | "Advanced";
                    /** @enum {string} */
                    avatarType: "real_man_2d" | "real_man_3d" | "half_realistic_3d" | "cartoon_3d" | "small_sample_2d" | "small_sample_general_2d" | "small_sample_4k_2d" | "small_sample_photo_2d";
                    /** @description place in the list order (ascending), a 32-bit integer */
                    sortOrder?: number;
                    headerImage?: string | null;
                    /** @description UUID, dashed or as 32 hex */
                    id?: string;
                    /** @description operator only: an app name, or null for the public catalog */
                    owner?: string | null;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Anchor"];
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: an id, key or code that is taken, or an anchor that still has looks */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAnchorsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID, dashed or as 32 hex */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Anchor"];
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteAnchorsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID, dashed or as 32 hex */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: an id, key or code that is taken, or an anchor that still has looks */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    patchAnchorsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID, dashed or as 32 hex */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    /** @enum {string} */
                    gender?: "male" | "female" | "neutral";
                    /**
                     * @description IVH Tag: Basic, Standard or Advanced
                     * @enum {string}
                     */
                    tag?: "Basic" | "Standard" | "Advanced";
                    /** @enum {string} */
                    avatarType?: "real_man_2d" | "real_man_3d" | "half_realistic_3d" | "cartoon_3d" | "small_sample_2d" | "small_sample_general_2d" | "small_sample_4k_2d" | "small_sample_photo_2d";
                    /** @description place in the list order (ascending), a 32-bit integer */
                    sortOrder?: number;
                    headerImage?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Anchor"];
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAnchorsByIdDigitalHumans: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID, dashed or as 32 hex */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["DigitalHuman"][];
                        hasMore: boolean;
                        nextCursor: string | null;
                        total?: number;
                    };
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postAnchorsByIdRetire: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID, dashed or as 32 hex */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    replacedBy?: string | null;
                } | null;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Anchor"];
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postAnchorsByIdRestore: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID, dashed or as 32 hex */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Anchor"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postImport: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description NDJSON records, one a line (docs/catalog-format.md) */
        requestBody: {
            content: {
                "application/x-ndjson": string;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        anchors: number;
                        timbres: number;
                        digitalHumans: number;
                        bindings: number;
                        files: number;
                        skipped: number;
                        conflicts: string[];
                    };
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: an id, key or code that is taken, or an anchor that still has looks */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Content Too Large: the body is over the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postFiles: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The file: the raw bytes (any Content-Type; the kind is checked by the bytes), or multipart/form-data with one file part. */
        requestBody: {
            content: {
                "application/octet-stream": string;
                "multipart/form-data": {
                    /** Format: binary */
                    file: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stored:<sha256>: use it in image, sample, headerImage … fields */
                        ref: string;
                        contentType: string;
                        size: number;
                        /** @description a signed URL of the file (expires) */
                        url: string;
                    };
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Content Too Large: the body is over the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type: the file is not of an accepted kind (checked by its bytes) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putTimbresByIdSample: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        /** @description The file: the raw bytes (any Content-Type; the kind is checked by the bytes), or multipart/form-data with one file part. */
        requestBody: {
            content: {
                "application/octet-stream": string;
                "multipart/form-data": {
                    /** Format: binary */
                    file: string;
                };
            };
        };
        responses: {
            /** @description OK: the timbre with the file attached (its ETag in the header) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Timbre"];
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Content Too Large: the body is over the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type: the file is not of an accepted kind (checked by its bytes) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putTimbresByIdImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        /** @description The file: the raw bytes (any Content-Type; the kind is checked by the bytes), or multipart/form-data with one file part. */
        requestBody: {
            content: {
                "application/octet-stream": string;
                "multipart/form-data": {
                    /** Format: binary */
                    file: string;
                };
            };
        };
        responses: {
            /** @description OK: the timbre with the file attached (its ETag in the header) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Timbre"];
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Content Too Large: the body is over the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type: the file is not of an accepted kind (checked by its bytes) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putTimbresByIdLanguageSamplesByLanguage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                language: string;
            };
            cookie?: never;
        };
        /** @description The file: the raw bytes (any Content-Type; the kind is checked by the bytes), or multipart/form-data with one file part. */
        requestBody: {
            content: {
                "application/octet-stream": string;
                "multipart/form-data": {
                    /** Format: binary */
                    file: string;
                };
            };
        };
        responses: {
            /** @description OK: the timbre with the file attached (its ETag in the header) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Timbre"];
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Content Too Large: the body is over the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type: the file is not of an accepted kind (checked by its bytes) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putDigitalHumansByIdHeaderImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        /** @description The file: the raw bytes (any Content-Type; the kind is checked by the bytes), or multipart/form-data with one file part. */
        requestBody: {
            content: {
                "application/octet-stream": string;
                "multipart/form-data": {
                    /** Format: binary */
                    file: string;
                };
            };
        };
        responses: {
            /** @description OK: the digital human with the file attached (its ETag in the header) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DigitalHuman"];
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Content Too Large: the body is over the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type: the file is not of an accepted kind (checked by its bytes) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putDigitalHumansByIdPoseImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        /** @description The file: the raw bytes (any Content-Type; the kind is checked by the bytes), or multipart/form-data with one file part. */
        requestBody: {
            content: {
                "application/octet-stream": string;
                "multipart/form-data": {
                    /** Format: binary */
                    file: string;
                };
            };
        };
        responses: {
            /** @description OK: the digital human with the file attached (its ETag in the header) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DigitalHuman"];
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Content Too Large: the body is over the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type: the file is not of an accepted kind (checked by its bytes) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putDigitalHumansByIdClothesImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        /** @description The file: the raw bytes (any Content-Type; the kind is checked by the bytes), or multipart/form-data with one file part. */
        requestBody: {
            content: {
                "application/octet-stream": string;
                "multipart/form-data": {
                    /** Format: binary */
                    file: string;
                };
            };
        };
        responses: {
            /** @description OK: the digital human with the file attached (its ETag in the header) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DigitalHuman"];
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Content Too Large: the body is over the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type: the file is not of an accepted kind (checked by its bytes) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putDigitalHumansByIdCoverImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        /** @description The file: the raw bytes (any Content-Type; the kind is checked by the bytes), or multipart/form-data with one file part. */
        requestBody: {
            content: {
                "application/octet-stream": string;
                "multipart/form-data": {
                    /** Format: binary */
                    file: string;
                };
            };
        };
        responses: {
            /** @description OK: the digital human with the file attached (its ETag in the header) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DigitalHuman"];
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Content Too Large: the body is over the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type: the file is not of an accepted kind (checked by its bytes) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putDigitalHumansByIdRenderPackage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        /** @description The file: the raw bytes (any Content-Type; the kind is checked by the bytes), or multipart/form-data with one file part. */
        requestBody: {
            content: {
                "application/octet-stream": string;
                "multipart/form-data": {
                    /** Format: binary */
                    file: string;
                };
            };
        };
        responses: {
            /** @description OK: the digital human with the file attached (its ETag in the header) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DigitalHuman"];
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Content Too Large: the body is over the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type: the file is not of an accepted kind (checked by its bytes) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putDigitalHumansByIdFrameFillPackage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        /** @description The file: the raw bytes (any Content-Type; the kind is checked by the bytes), or multipart/form-data with one file part. */
        requestBody: {
            content: {
                "application/octet-stream": string;
                "multipart/form-data": {
                    /** Format: binary */
                    file: string;
                };
            };
        };
        responses: {
            /** @description OK: the digital human with the file attached (its ETag in the header) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DigitalHuman"];
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Content Too Large: the body is over the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type: the file is not of an accepted kind (checked by its bytes) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putAnchorsByIdHeaderImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        /** @description The file: the raw bytes (any Content-Type; the kind is checked by the bytes), or multipart/form-data with one file part. */
        requestBody: {
            content: {
                "application/octet-stream": string;
                "multipart/form-data": {
                    /** Format: binary */
                    file: string;
                };
            };
        };
        responses: {
            /** @description OK: the anchor with the file attached (its ETag in the header) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Anchor"];
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Content Too Large: the body is over the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type: the file is not of an accepted kind (checked by its bytes) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putDigitalHumansByIdActionsByCodePreviewVideo: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                code: string;
            };
            cookie?: never;
        };
        /** @description The file: the raw bytes (any Content-Type; the kind is checked by the bytes), or multipart/form-data with one file part. */
        requestBody: {
            content: {
                "application/octet-stream": string;
                "multipart/form-data": {
                    /** Format: binary */
                    file: string;
                };
            };
        };
        responses: {
            /** @description OK: the digital human with the file attached (its ETag in the header) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DigitalHuman"];
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Precondition Failed: If-Match names another version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Content Too Large: the body is over the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported Media Type: the file is not of an accepted kind (checked by its bytes) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApps: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["App"][];
                    };
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postApps: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    rateLimit?: number;
                    zegoAppId?: number;
                    zegoServerSecret?: string;
                    ivhAppKey?: string;
                    ivhAccessToken?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        app: components["schemas"]["App"];
                        credentials: {
                            name: string;
                            zego: {
                                AppId: number;
                                ServerSecret: string;
                            };
                            ivh: {
                                appkey: string;
                                accesstoken: string;
                            };
                            curl: {
                                zego: string;
                                ivh: string;
                            };
                        };
                    };
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: an id, key or code that is taken, or an anchor that still has looks */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAppsByName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["App"];
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    patchAppsByName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    status?: "active" | "disabled";
                    rateLimit?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["App"];
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAppsByNameUsage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        app: string;
                        /** @description when this instance started counting */
                        since: string;
                        /** @description by dialect: zego, ivh, openai, elevenlabs, heygen, mistral, native */
                        requests: {
                            [key: string]: {
                                ok: number;
                                failed: number;
                            };
                        };
                        /** @description requests refused over the per-second limit */
                        rateLimited: number;
                    };
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAppsByNameUsageHours: {
        parameters: {
            query?: {
                /** @description inclusive; default 24 hours before `to` */
                from?: string;
                /** @description exclusive; default now */
                to?: string;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        app: string;
                        from: string;
                        to: string;
                        hours: {
                            /** @description the hour's start (ISO 8601, UTC) */
                            hour: string;
                            dialect: string;
                            /** @description served by timbrel, or relayed through the app's own upstream or the operator's */
                            via: "served" | "own" | "operator";
                            outcome: "ok" | "failed";
                            requests: number;
                            /** @description characters of text sent to be spoken */
                            characters: number;
                            /** @description bytes of vendors' answers passed to the app (relayed calls) */
                            bytes: number;
                        }[];
                        totals: {
                            requests: number;
                            failed: number;
                            characters: number;
                            bytes: number;
                        };
                    };
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postAppsByNameRotate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    dialect: "zego" | "ivh";
                    /** @default 86400 */
                    graceSeconds?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        app: components["schemas"]["App"];
                        credentials: {
                            name: string;
                            zego: {
                                AppId: number;
                                ServerSecret: string;
                            };
                            ivh: {
                                appkey: string;
                                accesstoken: string;
                            };
                            curl: {
                                zego: string;
                                ivh: string;
                            };
                        };
                    };
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postAppsByNameTry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    dialect: "zego" | "ivh";
                    operation: string;
                    body?: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        request: {
                            method: string;
                            url: string;
                            headers: {
                                [key: string]: string;
                            };
                            body: string;
                        };
                        response: {
                            status: number;
                            headers: {
                                [key: string]: string;
                            };
                            body: string;
                        };
                    };
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAppsByNameUpstreams: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Upstream"][];
                    };
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAppsByNameUpstreamsByDialect: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                dialect: "zego" | "ivh" | "elevenlabs" | "openai" | "heygen";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Upstream"];
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putAppsByNameUpstreamsByDialect: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                dialect: "zego" | "ivh" | "elevenlabs" | "openai" | "heygen";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    url?: string;
                    appId?: number;
                    serverSecret?: string;
                    appkey?: string;
                    accesstoken?: string;
                    apiKey?: string;
                    rateLimit?: number;
                    /** @description elevenlabs, openai, heygen: relay ids the catalog holds nowhere (default false) */
                    open?: boolean;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Upstream"];
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteAppsByNameUpstreamsByDialect: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                dialect: "zego" | "ivh" | "elevenlabs" | "openai" | "heygen";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content: done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postAppsByNameUpstreamsByDialectSync: {
        parameters: {
            query?: {
                wait?: boolean;
                scope?: "all" | "public" | "private";
            };
            header?: never;
            path: {
                name: string;
                dialect: "zego" | "ivh" | "elevenlabs" | "openai" | "heygen";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never> | null;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        dialect: string;
                        /** @description epoch ms */
                        startedAt: number;
                        finishedAt: number | null;
                        outcome: "running" | "completed" | "failed" | "cancelled";
                        error?: string;
                        /** @description why the sync stopped before the vendor's lists ended (nothing is retired then) */
                        stopped?: "repeated_page" | "row_cap" | "time_cap" | "answer_too_large" | "retry_budget" | "cancelled" | "lease_lost" | "vendor_error";
                        /** @description requests made to the vendor */
                        pages: number;
                        created: number;
                        updated: number;
                        unchanged: number;
                        retired: number;
                        restored: number;
                        /** @description rows of the same id (or key) that are not this source's: left alone */
                        conflicts: number;
                        /** @description media copied into the file store */
                        files: number;
                        fileErrors: number;
                        /** @description the first rows refused or not copied, each with why */
                        rowErrors: string[];
                    };
                };
            };
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        dialect: string;
                        /** @description epoch ms */
                        startedAt: number;
                        finishedAt: number | null;
                        outcome: "running" | "completed" | "failed" | "cancelled";
                        error?: string;
                        /** @description why the sync stopped before the vendor's lists ended (nothing is retired then) */
                        stopped?: "repeated_page" | "row_cap" | "time_cap" | "answer_too_large" | "retry_budget" | "cancelled" | "lease_lost" | "vendor_error";
                        /** @description requests made to the vendor */
                        pages: number;
                        created: number;
                        updated: number;
                        unchanged: number;
                        retired: number;
                        restored: number;
                        /** @description rows of the same id (or key) that are not this source's: left alone */
                        conflicts: number;
                        /** @description media copied into the file store */
                        files: number;
                        fileErrors: number;
                        /** @description the first rows refused or not copied, each with why */
                        rowErrors: string[];
                    };
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: an id, key or code that is taken, or an anchor that still has looks */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteAppsByNameUpstreamsByDialectSync: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                dialect: "zego" | "ivh" | "elevenlabs" | "openai" | "heygen";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cancelling: boolean;
                    };
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getUpstreams: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Upstream"][];
                    };
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getUpstreamsByDialect: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                dialect: "zego" | "ivh" | "elevenlabs" | "openai" | "heygen";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Upstream"];
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putUpstreamsByDialect: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                dialect: "zego" | "ivh" | "elevenlabs" | "openai" | "heygen";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    url?: string;
                    appId?: number;
                    serverSecret?: string;
                    appkey?: string;
                    accesstoken?: string;
                    apiKey?: string;
                    rateLimit?: number;
                    /** @description elevenlabs, openai, heygen: relay ids the catalog holds nowhere (default false) */
                    open?: boolean;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Upstream"];
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteUpstreamsByDialect: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                dialect: "zego" | "ivh" | "elevenlabs" | "openai" | "heygen";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content: done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postUpstreamsByDialectSync: {
        parameters: {
            query?: {
                wait?: boolean;
                scope?: "all" | "public" | "private";
            };
            header?: never;
            path: {
                dialect: "zego" | "ivh" | "elevenlabs" | "openai" | "heygen";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never> | null;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        dialect: string;
                        /** @description epoch ms */
                        startedAt: number;
                        finishedAt: number | null;
                        outcome: "running" | "completed" | "failed" | "cancelled";
                        error?: string;
                        /** @description why the sync stopped before the vendor's lists ended (nothing is retired then) */
                        stopped?: "repeated_page" | "row_cap" | "time_cap" | "answer_too_large" | "retry_budget" | "cancelled" | "lease_lost" | "vendor_error";
                        /** @description requests made to the vendor */
                        pages: number;
                        created: number;
                        updated: number;
                        unchanged: number;
                        retired: number;
                        restored: number;
                        /** @description rows of the same id (or key) that are not this source's: left alone */
                        conflicts: number;
                        /** @description media copied into the file store */
                        files: number;
                        fileErrors: number;
                        /** @description the first rows refused or not copied, each with why */
                        rowErrors: string[];
                    };
                };
            };
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        dialect: string;
                        /** @description epoch ms */
                        startedAt: number;
                        finishedAt: number | null;
                        outcome: "running" | "completed" | "failed" | "cancelled";
                        error?: string;
                        /** @description why the sync stopped before the vendor's lists ended (nothing is retired then) */
                        stopped?: "repeated_page" | "row_cap" | "time_cap" | "answer_too_large" | "retry_budget" | "cancelled" | "lease_lost" | "vendor_error";
                        /** @description requests made to the vendor */
                        pages: number;
                        created: number;
                        updated: number;
                        unchanged: number;
                        retired: number;
                        restored: number;
                        /** @description rows of the same id (or key) that are not this source's: left alone */
                        conflicts: number;
                        /** @description media copied into the file store */
                        files: number;
                        fileErrors: number;
                        /** @description the first rows refused or not copied, each with why */
                        rowErrors: string[];
                    };
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: an id, key or code that is taken, or an anchor that still has looks */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAppsByNameKeys: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            name: string;
                            createdAt: string;
                            revokedAt: string | null;
                        }[];
                    };
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postAppsByNameKeys: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                } | null;
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        key: string;
                        createdAt: string;
                    };
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteAppsByNameKeysById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content: done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getEvents: {
        parameters: {
            query?: {
                /** @description a cursor (`next` of a page, an event’s `seq`), or `now` for the current head; default: the oldest retained event */
                after?: string;
                limit?: number;
                /** @description comma-separated types, `kind.*` for every type of a kind */
                types?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Event"][];
                        /** @description the cursor to read on from (after=next) */
                        next: string;
                        /** @description more events are already there: read on at once */
                        hasMore: boolean;
                    };
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Error */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getEventsStream: {
        parameters: {
            query?: {
                /** @description a cursor (`next` of a page, an event’s `seq`), or `now` for the current head; default: the oldest retained event */
                after?: string;
                /** @description comma-separated types, `kind.*` for every type of a kind */
                types?: string;
            };
            header?: {
                /** @description resumes after this event (wins over after) */
                "last-event-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/event-stream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Error */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            /** @description the app whose endpoint it is; null for the operator’s (every event) */
                            app: string | null;
                            url: string;
                            description: string;
                            /** @description the event types it gets (`timbre.*`); empty: every type */
                            types: string[];
                            status: "enabled" | "disabled";
                            disabledReason: string | null;
                            /** @description when its deliveries started failing with no success since */
                            failingSince: string | null;
                            createdAt: string;
                            updatedAt: string;
                        }[];
                    };
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description https (http only for hosts in TIMBREL_OUTBOUND_ALLOW_HTTP) */
                    url: string;
                    description?: string;
                    types?: string[];
                    /** @description operator only: the app whose endpoint it is */
                    app?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @description the app whose endpoint it is; null for the operator’s (every event) */
                        app: string | null;
                        url: string;
                        description: string;
                        /** @description the event types it gets (`timbre.*`); empty: every type */
                        types: string[];
                        status: "enabled" | "disabled";
                        disabledReason: string | null;
                        /** @description when its deliveries started failing with no success since */
                        failingSince: string | null;
                        createdAt: string;
                        updatedAt: string;
                    } & {
                        /** @description `whsec_…`: shown once */
                        secret: string;
                    };
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden: visible, but not the caller’s to change (or the operator’s only) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getWebhooksById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @description the app whose endpoint it is; null for the operator’s (every event) */
                        app: string | null;
                        url: string;
                        description: string;
                        /** @description the event types it gets (`timbre.*`); empty: every type */
                        types: string[];
                        status: "enabled" | "disabled";
                        disabledReason: string | null;
                        /** @description when its deliveries started failing with no success since */
                        failingSince: string | null;
                        createdAt: string;
                        updatedAt: string;
                    };
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteWebhooksById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    patchWebhooksById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    url?: string;
                    description?: string;
                    types?: string[];
                    status?: "enabled" | "disabled";
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @description the app whose endpoint it is; null for the operator’s (every event) */
                        app: string | null;
                        url: string;
                        description: string;
                        /** @description the event types it gets (`timbre.*`); empty: every type */
                        types: string[];
                        status: "enabled" | "disabled";
                        disabledReason: string | null;
                        /** @description when its deliveries started failing with no success since */
                        failingSince: string | null;
                        createdAt: string;
                        updatedAt: string;
                    };
                };
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postWebhooksByIdRotateSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        secret: string;
                        previousSecretValidUntil: string;
                    };
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getWebhooksByIdDeliveries: {
        parameters: {
            query?: {
                limit?: number;
                /** @description the `next` of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            /** @description the webhook-id every attempt of it sends */
                            eventId: string;
                            eventSeq: number;
                            eventType: string;
                            status: "pending" | "succeeded" | "failed";
                            attempts: number;
                            nextAttemptAt: string | null;
                            /** @description the HTTP status of the last attempt */
                            lastStatus: number | null;
                            lastError: string | null;
                            lastDurationMs: number | null;
                            /** @description the first 1 KB of the last answer */
                            lastResponse: string | null;
                            redeliveryOf: string | null;
                            createdAt: string;
                            updatedAt: string;
                        }[];
                        next: string | null;
                    };
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad Request: a parameter or the body is invalid (problem+json, `param` names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postWebhooksByIdDeliveriesByDeliveryIdRedeliver: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                deliveryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @description the webhook-id every attempt of it sends */
                        eventId: string;
                        eventSeq: number;
                        eventType: string;
                        status: "pending" | "succeeded" | "failed";
                        attempts: number;
                        nextAttemptAt: string | null;
                        /** @description the HTTP status of the last attempt */
                        lastStatus: number | null;
                        lastError: string | null;
                        lastDurationMs: number | null;
                        /** @description the first 1 KB of the last answer */
                        lastResponse: string | null;
                        redeliveryOf: string | null;
                        createdAt: string;
                        updatedAt: string;
                    };
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postWebhooksByIdTest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @description the webhook-id every attempt of it sends */
                        eventId: string;
                        eventSeq: number;
                        eventType: string;
                        status: "pending" | "succeeded" | "failed";
                        attempts: number;
                        nextAttemptAt: string | null;
                        /** @description the HTTP status of the last attempt */
                        lastStatus: number | null;
                        lastError: string | null;
                        lastDurationMs: number | null;
                        /** @description the first 1 KB of the last answer */
                        lastResponse: string | null;
                        redeliveryOf: string | null;
                        createdAt: string;
                        updatedAt: string;
                    };
                };
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not Found: no such resource, or another app’s */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDialects: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            name: string;
                            label: string;
                            auth: string;
                            baseUrl: string;
                            example: string;
                        }[];
                    };
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getExport: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description one record per line */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": string;
                };
            };
            /** @description Not Modified: the If-None-Match ETag is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized: no valid Bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too Many Requests: over the app’s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service Unavailable: the store is busy or out of reach; try again after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
