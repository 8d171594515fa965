import { ConnectionType } from '../graphql/connection';
import { AuditEvent } from './audit-event.entity';

/** A page of audit events: `auditLog` here, `Member.history` in the members feature. */
export const AuditEventConnection = ConnectionType(AuditEvent, 'AuditEvent', 'audit event');
