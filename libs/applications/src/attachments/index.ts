export * from './attachment-files';
export * from './attachment.entity';
export * from './attachments.errors';
export * from './attachments.service';
