import Directory
import Foundation
import GBCore
import Sharing

/// The API's OpenAPI 3.1 description, served at /api/v1/openapi.json. Built from the same route
/// table the tests compare with the router, so the document cannot drift from the routes.
public enum OpenAPIDocument {
    struct Operation {
        let method: String
        let path: String
        let summary: String
        let tag: String
        var query: [String] = []
        var body: String?
        var response: String?
        var isPublic = false
    }

    static let cameraFilters = ["division", "department", "pointClass", "cameraType", "deviceStatus", "shareAttribute", "networkStatus",
                                "platformCode", "q", "bbox", "hasErrors", "sort", "limit", "cursor", "total"]

    /// Every route of the API. A route added to the router without an entry here fails the tests.
    static let operations: [Operation] = [
        .init(method: "post", path: "/api/v1/auth/login", summary: "登录 / log in: {username, password} → {token, expiresAt, user}", tag: "auth",
              body: "Login", response: "LoginResult", isPublic: true),
        .init(method: "get", path: "/api/v1/openapi.json", summary: "本文档 / this document", tag: "meta", isPublic: true),
        .init(method: "post", path: "/api/v1/auth/logout", summary: "退出 / end this token", tag: "auth"),
        .init(method: "get", path: "/api/v1/auth/me", summary: "当前用户 / the logged-in user", tag: "auth", response: "User"),
        .init(method: "put", path: "/api/v1/auth/session/purpose",
              summary: "本次登录的使用事由 / state the purpose of use for this login's live views {purpose}", tag: "auth", response: "User"),
        .init(method: "post", path: "/api/v1/auth/password", summary: "修改密码 / change password {oldPassword, newPassword}", tag: "auth"),
        .init(method: "get", path: "/api/v1/users", summary: "用户列表 / users (administrators)", tag: "auth"),
        .init(method: "post", path: "/api/v1/users", summary: "新建用户 / create a user (administrators)", tag: "auth", body: "NewUser", response: "User"),
        .init(method: "get", path: "/api/v1/cameras", summary: "检索资源目录 / search cameras (keyset pages)", tag: "directory",
              query: cameraFilters, response: "CameraPage"),
        .init(method: "post", path: "/api/v1/cameras", summary: "登记摄像机 / file a camera", tag: "directory", body: "CameraRecord", response: "Camera"),
        .init(method: "get", path: "/api/v1/cameras/{code}", summary: "摄像机档案 / one camera (code, or id-<n>)", tag: "directory", response: "Camera"),
        .init(method: "patch", path: "/api/v1/cameras/{code}", summary: "修改档案 / change fields (\"\" clears)", tag: "directory",
              body: "CameraRecord", response: "Camera"),
        .init(method: "post", path: "/api/v1/cameras/{code}/status", summary: "设备状态 / status 1 in use, 2 under repair, 3 removed", tag: "directory",
              response: "Camera"),
        .init(method: "get", path: "/api/v1/cameras/{code}/history", summary: "变更历史 / who changed what, when", tag: "directory"),
        .init(method: "post", path: "/api/v1/directory/imports", summary: "上传导入文件并检查 / upload CSV or XLSX (multipart: file, sheet)", tag: "directory"),
        .init(method: "get", path: "/api/v1/directory/imports/{id}", summary: "导入检查结果 / an upload with its first findings", tag: "directory"),
        .init(method: "get", path: "/api/v1/directory/imports/{id}/findings", summary: "导入问题清单 / findings by row", tag: "directory",
              query: ["offset", "limit", "severity"]),
        .init(method: "post", path: "/api/v1/directory/imports/{id}/confirm", summary: "确认导入 / apply the upload in one transaction", tag: "directory"),
        .init(method: "delete", path: "/api/v1/directory/imports/{id}", summary: "放弃导入 / discard the upload", tag: "directory"),
        .init(method: "get", path: "/api/v1/directory/export", summary: "导出 / export CSV or XLSX, Appendix 5 layout", tag: "directory",
              query: ["format", "extras"] + cameraFilters),
        .init(method: "get", path: "/api/v1/directory/report", summary: "整改清单 / rectification report per department and platform", tag: "directory"),
        .init(method: "get", path: "/api/v1/directory/duplicates", summary: "重复建设 / duplicate-construction groups", tag: "directory",
              query: ["radius", "division"]),
        .init(method: "get", path: "/api/v1/directory/statistics", summary: "统计 / statistics per department, division, class", tag: "directory",
              query: ["division"]),
        .init(method: "get", path: "/api/v1/platforms", summary: "平台 / platforms", tag: "platforms"),
        .init(method: "post", path: "/api/v1/platforms", summary: "登记平台 / file or update a platform", tag: "platforms"),
        .init(method: "get", path: "/api/v1/platforms/{key}", summary: "平台档案 / one platform (code or name)", tag: "platforms"),
        .init(method: "get", path: "/api/v1/upper-platforms", summary: "上级平台及其级联状态 / upper platforms and their link state", tag: "cascade"),
        .init(method: "post", path: "/api/v1/upper-platforms",
              summary: "登记上级平台 / add an upper platform {platformID, host, port, password, transport, domain, expires, keepaliveSeconds, charset}", tag: "cascade"),
        .init(method: "patch", path: "/api/v1/upper-platforms/{platformID}", summary: "修改上级平台 / change an upper platform (relinks)", tag: "cascade"),
        .init(method: "delete", path: "/api/v1/upper-platforms/{platformID}", summary: "删除上级平台 / remove an upper platform (unregisters)", tag: "cascade"),
        .init(method: "get", path: "/api/v1/upper-platforms/{platformID}/events", summary: "级联记录 / the link's history", tag: "cascade"),
        .init(method: "get", path: "/api/v1/upper-platforms/{platformID}/grants", summary: "向上级平台的授权 / grants to an upper platform", tag: "cascade"),
        .init(method: "post", path: "/api/v1/upper-platforms/{platformID}/grants",
              summary: "向上级平台授权摄像机（超出默认的一类点，或云台控制） / grant cameras or PTZ to an upper platform", tag: "cascade"),
        .init(method: "post", path: "/api/v1/platforms/imports", summary: "导入平台清单 / import the platform form (multipart: file)", tag: "platforms"),
        .init(method: "get", path: "/api/v1/divisions", summary: "行政区划 / GB/T 2260 divisions", tag: "reference", query: ["parent", "code", "name"]),
        .init(method: "get", path: "/api/v1/dictionaries", summary: "字典 / Appendix 5 code lists", tag: "reference"),
        .init(method: "patch", path: "/api/v1/users/{username}", summary: "修改账号的角色、部门、区划、名称或停用 / change an account's role, department, division, name or disable it", tag: "auth"),
        .init(method: "post", path: "/api/v1/users/{username}/unlock", summary: "解除账号锁定 / unlock an account", tag: "auth"),
        .init(method: "put", path: "/api/v1/users/{username}/password", summary: "重置账号密码 / reset an account's password", tag: "auth"),
        .init(method: "post", path: "/api/v1/users/{username}/api-keys", summary: "为系统账号签发API密钥 / issue a system account's API key (shown once)", tag: "auth"),
        .init(method: "delete", path: "/api/v1/api-keys/{id}", summary: "吊销API密钥 / revoke an API key", tag: "auth"),
        .init(method: "post", path: "/api/v1/share-requests", summary: "提交共享申请 / request cameras: codes or a directory query, permissions, purpose, period",
              tag: "sharing", body: "NewShareRequest", response: "ShareRequestView"),
        .init(method: "get", path: "/api/v1/share-requests", summary: "共享申请 / requests: mine, to_review, all", tag: "sharing",
              query: ["filter", "status"]),
        .init(method: "get", path: "/api/v1/share-requests/{id}", summary: "申请详情及每路摄像机的审批进度 / a request and where each camera stands",
              tag: "sharing", response: "ShareRequestView"),
        .init(method: "post", path: "/api/v1/share-requests/{id}/reviews", summary: "审批 / approve or reject (some cameras, fewer permissions)",
              tag: "sharing", body: "ShareReview", response: "ShareRequestView"),
        .init(method: "post", path: "/api/v1/share-requests/{id}/withdraw", summary: "撤回申请 / withdraw a pending request", tag: "sharing",
              response: "ShareRequestView"),
        .init(method: "get", path: "/api/v1/grants", summary: "授权 / grants my department holds (owned=true: on my cameras)", tag: "sharing",
              query: ["owned", "active"]),
        .init(method: "get", path: "/api/v1/grants/{id}", summary: "授权详情 / one grant", tag: "sharing", response: "Grant"),
        .init(method: "post", path: "/api/v1/grants/{id}/revoke", summary: "撤销授权（立即切断视频）/ revoke at once; streams under it end", tag: "sharing",
              response: "Grant"),
        .init(method: "post", path: "/api/v1/access/authorize", summary: "调阅前鉴权 / may I play, download, PTZ this camera? 200 with grant and watermark, or 403 with the reason",
              tag: "sharing", body: "AccessCheck", response: "AccessGranted"),
        .init(method: "get", path: "/api/v1/audit", summary: "审计日志 / audit entries, newest first (auditors)", tag: "audit",
              query: ["from", "to", "actor", "department", "action", "camera", "grant", "result", "before", "limit"]),
        .init(method: "get", path: "/api/v1/audit/export", summary: "导出审计日志CSV / audit CSV (auditors)", tag: "audit",
              query: ["from", "to", "actor", "department", "action", "camera", "grant", "result"]),
        .init(method: "get", path: "/api/v1/audit/verify", summary: "校验哈希链 / verify the hash chain and anchors (auditors)", tag: "audit"),
        .init(method: "get", path: "/api/v1/devices", summary: "联网设备 / registered devices with online state and last keepalive", tag: "devices",
              query: ["online", "limit"]),
        .init(method: "get", path: "/api/v1/devices/refused", summary: "拒绝的注册 / refused registrations (unfiled codes, wrong passwords)", tag: "devices",
              query: ["limit"]),
        .init(method: "get", path: "/api/v1/devices/discovered", summary: "发现未登记 / reported channels not filed in the directory", tag: "devices",
              query: ["limit"]),
        .init(method: "get", path: "/api/v1/devices/{code}", summary: "设备 / one device", tag: "devices"),
        .init(method: "get", path: "/api/v1/devices/{code}/tree", summary: "目录树 / the civil-code tree and the business-group tree of its catalog", tag: "devices"),
        .init(method: "get", path: "/api/v1/devices/{code}/channels", summary: "设备通道 / the channels its catalog reports (device values)", tag: "devices"),
        .init(method: "get", path: "/api/v1/devices/{code}/events", summary: "设备事件 / online, offline, catalog, alarm history", tag: "devices",
              query: ["limit"]),
        .init(method: "post", path: "/api/v1/devices/{code}/catalog", summary: "刷新目录 / query the catalog now (202)", tag: "devices"),
        .init(method: "get", path: "/api/v1/devices/{code}/catalog", summary: "目录进度 / catalog progress or last result", tag: "devices"),
        .init(method: "get", path: "/api/v1/devices/{code}/info", summary: "设备信息 / DeviceInfo query", tag: "devices"),
        .init(method: "get", path: "/api/v1/devices/{code}/status", summary: "设备状态 / DeviceStatus query", tag: "devices"),
        .init(method: "put", path: "/api/v1/devices/{code}/password", summary: "设备密码 / set the device's SIP password (write-only)", tag: "devices"),
        .init(method: "put", path: "/api/v1/devices/{code}/charset", summary: "设备字符集 / charset of the bodies sent to the device {charset: gb2312|gb18030|utf-8}", tag: "devices"),
        .init(method: "get", path: "/api/v1/cameras/{code}/live.mp4", summary: "实时视频 fMP4 / live fragmented MP4 over chunked HTTP (a view: decided, audited)", tag: "live",
              query: ["purpose", "codec"]),
        .init(method: "get", path: "/api/v1/cameras/{code}/live.flv", summary: "实时视频 HTTP-FLV / live HTTP-FLV (H.265 as enhanced-FLV hvc1)", tag: "live",
              query: ["purpose", "codec"]),
        .init(method: "get", path: "/api/v1/cameras/{code}/live.m3u8", summary: "实时视频 HLS / opens an HLS session and redirects to its playlist", tag: "live",
              query: ["purpose", "codec"]),
        .init(method: "get", path: "/api/v1/cameras/{code}/snapshot.jpg", summary: "抓图 / JPEG of the latest keyframe", tag: "live", query: ["purpose"]),
        .init(method: "get", path: "/api/v1/hls/{session}/{file}", summary: "HLS 播放列表与分片 / playlist and segments; the session id from live.m3u8 is the capability",
              tag: "live", isPublic: true),
        .init(method: "get", path: "/api/v1/live/ws", summary: "实时视频 WebSocket / every tile of a page on one WebSocket; the first message carries the token",
              tag: "live", isPublic: true),
        .init(method: "get", path: "/api/v1/cameras/{code}/playback.mp4", summary: "录像回放 / a recorded time range from the device as fMP4 (purpose per policy; audited)",
              tag: "live", query: ["from", "to", "purpose"]),
        .init(method: "get", path: "/api/v1/cameras/{code}/download.mp4", summary: "录像下载 / a recorded time range as an MP4 file naming its audit entry (purpose and destination; audited)",
              tag: "live", query: ["from", "to", "purpose", "destination"]),
        .init(method: "get", path: "/api/v1/media/status", summary: "媒体状态 / streams, counters, ingest, SSRC leases, transcodes (administrators)", tag: "live"),
        .init(method: "post", path: "/api/v1/cameras/{code}/ptz", summary: "云台控制 / PTZ {action, speed} (audited)", tag: "live", body: "PTZ"),
        .init(method: "get", path: "/api/v1/cameras/{code}/presets", summary: "预置位 / presets the device reports", tag: "live"),
        .init(method: "post", path: "/api/v1/cameras/{code}/presets/{number}/call", summary: "调用预置位 / go to a preset (audited)", tag: "live"),
        .init(method: "get", path: "/api/v1/cameras/{code}/records", summary: "录像检索 / recordings on the device for a time range", tag: "live",
              query: ["from", "to"]),
    ]

    /// "METHOD /path/{param}" of every documented route, for the drift test.
    public static var routeKeys: Set<String> {
        Set(operations.map { "\($0.method.uppercased()) \($0.path)" })
    }

    public static func json() -> Data {
        var paths: [String: [String: Any]] = [:]
        for operation in operations {
            var entry: [String: Any] = ["summary": operation.summary, "tags": [operation.tag],
                                        "responses": responses(operation)]
            var parameters: [[String: Any]] = pathParameters(operation.path).map {
                ["name": $0, "in": "path", "required": true, "schema": ["type": "string"]]
            }
            parameters += operation.query.map { ["name": $0, "in": "query", "required": false, "schema": ["type": "string"]] }
            if !parameters.isEmpty { entry["parameters"] = parameters }
            if let body = operation.body {
                entry["requestBody"] = ["required": true, "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(body)"]]]]
            }
            if operation.isPublic { entry["security"] = [[String: Any]]() }
            paths[operation.path, default: [:]][operation.method] = entry
        }
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": ["title": "GBShare 视频图像共享交换平台 API", "version": "1.0.0",
                     "description": "城市视频资源目录、联网共享与审计。Every route but login and this document needs `Authorization: Bearer <token>`. Errors: {\"error\": {\"code\", \"message\", \"zh\", \"en\"}}."],
            "servers": [["url": "/"]],
            "security": [["bearer": [String]()]],
            "paths": paths,
            "components": ["securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]], "schemas": schemas()],
        ]
        return (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])) ?? Data()
    }

    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }

    static func responses(_ operation: Operation) -> [String: Any] {
        var responses: [String: Any] = ["default": ["description": "错误 / error", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]]]
        var ok: [String: Any] = ["description": "OK"]
        if let response = operation.response {
            ok["content"] = ["application/json": ["schema": ["$ref": "#/components/schemas/\(response)"]]]
        }
        responses["200"] = ok
        if !operation.isPublic { responses["401"] = ["description": "未登录 / not logged in"] }
        return responses
    }

    static func schemas() -> [String: Any] {
        var recordProperties: [String: Any] = [:]
        for field in CameraField.allCases {
            recordProperties[field.rawValue] = ["type": "string", "description": "\(field.header.zh) / \(field.header.en)"]
        }
        let user: [String: Any] = ["type": "object", "properties": [
            "id": ["type": "string"], "username": ["type": "string"], "displayName": ["type": "string"],
            "role": ["type": "string", "enum": Role.accountRoles.map(\.rawValue)], "departmentCode": ["type": "string"], "divisionScope": ["type": "string"],
            "abilities": ["type": "object", "additionalProperties": ["type": "boolean"]],
            "purposeRequiredFor": ["type": "array", "items": ["type": "string"]], "viewPurpose": ["type": "string"],
        ]]
        let finding: [String: Any] = ["type": "object", "properties": [
            "row": ["type": "integer"], "code": ["type": "string"], "field": ["type": "string"], "rule": ["type": "string", "enum": DirectoryRule.allCases.map(\.rawValue)],
            "severity": ["type": "string", "enum": ["error", "warning"]], "value": ["type": "string"], "message": ["type": "string"],
            "zh": ["type": "string"], "en": ["type": "string"],
        ]]
        return [
            "Login": ["type": "object", "required": ["username", "password"], "properties": ["username": ["type": "string"], "password": ["type": "string"]]],
            "PTZ": ["type": "object", "required": ["action"], "properties": [
                "action": ["type": "string", "enum": ["left", "right", "up", "down", "upLeft", "upRight", "downLeft", "downRight", "zoomIn", "zoomOut", "stop"]],
                "speed": ["type": "integer", "minimum": 1, "maximum": 255]]],
            "LoginResult": ["type": "object", "properties": ["token": ["type": "string"], "expiresAt": ["type": "string"], "user": ["$ref": "#/components/schemas/User"]]],
            "User": user,
            "NewUser": ["type": "object", "required": ["username", "password", "role"], "properties": [
                "username": ["type": "string"], "displayName": ["type": "string"], "password": ["type": "string"],
                "role": ["type": "string", "enum": Role.accountRoles.map(\.rawValue)], "departmentCode": ["type": "string"], "divisionScope": ["type": "string"],
            ]],
            "CameraRecord": ["type": "object", "properties": recordProperties],
            "Finding": finding,
            "Camera": ["type": "object", "properties": [
                "id": ["type": "integer"], "code": ["type": "string"], "record": ["$ref": "#/components/schemas/CameraRecord"],
                "findings": ["type": "array", "items": ["$ref": "#/components/schemas/Finding"]], "errorCount": ["type": "integer"],
                "warningCount": ["type": "integer"], "shareable": ["type": "boolean"], "createdAt": ["type": "string"], "updatedAt": ["type": "string"],
            ]],
            "CameraPage": ["type": "object", "properties": [
                "items": ["type": "array", "items": ["$ref": "#/components/schemas/Camera"]], "nextCursor": ["type": "string"], "total": ["type": "integer"],
            ]],
            "NewShareRequest": ["type": "object", "required": ["permissions", "purpose"], "properties": [
                "cameras": ["type": "array", "items": ["type": "string"]],
                "query": ["type": "object", "properties": ["divisionPrefix": ["type": "string"], "department": ["type": "string"],
                                                           "pointClass": ["type": "string"], "shareAttribute": ["type": "string"], "text": ["type": "string"]]],
                "permissions": ["type": "string", "description": "默认权限代码 / permission codes, e.g. \"1,2\""],
                "purpose": ["type": "string"], "validFrom": ["type": "string"], "validUntil": ["type": "string"], "days": ["type": "number"],
            ]],
            "ShareReview": ["type": "object", "required": ["decision"], "properties": [
                "decision": ["type": "string", "enum": ["approve", "reject"]], "cameras": ["type": "array", "items": ["type": "string"]],
                "permissions": ["type": "string"], "comment": ["type": "string"],
            ]],
            "ShareRequestView": ["type": "object", "properties": [
                "request": ["type": "object"], "cameras": ["type": "array", "items": ["type": "object"]], "overdue": ["type": "boolean"],
                "grantIDs": ["type": "array", "items": ["type": "string"]],
            ]],
            "Grant": ["type": "object", "properties": [
                "id": ["type": "string"], "requestID": ["type": "string"], "grantee": ["type": "object"], "cameras": ["type": "array", "items": ["type": "object"]],
                "purpose": ["type": "string"], "validFrom": ["type": "string"], "validUntil": ["type": "string"], "revokedAt": ["type": "string"],
            ]],
            "AccessCheck": ["type": "object", "required": ["camera", "action"], "properties": [
                "camera": ["type": "string"], "action": ["type": "string", "enum": AccessAction.mediaActions.map(\.rawValue)],
                "purpose": ["type": "string", "description": "使用事由 / purpose"], "destination": ["type": "string", "description": "下载去向 / where a download goes"],
            ]],
            "AccessGranted": ["type": "object", "properties": [
                "allowed": ["type": "boolean"], "reason": ["type": "string", "enum": DecisionReason.allCases.map(\.rawValue)], "message": ["type": "string"],
                "grantId": ["type": "string"], "auditEntry": ["type": "integer"], "watermark": ["type": "object"],
            ]],
            "Error": ["type": "object", "properties": ["error": ["type": "object", "properties": [
                "code": ["type": "string"], "message": ["type": "string"], "zh": ["type": "string"], "en": ["type": "string"],
            ]]]],
        ]
    }
}
